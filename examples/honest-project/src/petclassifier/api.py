"""Serve the trained classifier over HTTP."""

import torch
from fastapi import FastAPI

from petclassifier.model import PetClassifier

app = FastAPI()
model = PetClassifier()
model.load_state_dict(torch.load("models/model.pt"))
model.eval()


@app.post("/predict")
def predict(pixels: list[float]) -> dict[str, int]:
    image = torch.tensor(pixels).reshape(1, 3, 32, 32)
    return {"label": int(model(image).argmax())}
