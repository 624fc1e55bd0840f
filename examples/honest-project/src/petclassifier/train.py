"""Train the classifier with the hyperparameters from configs/, logging to W&B."""

import hydra
import torch
import wandb
from omegaconf import DictConfig

from petclassifier.data import load_dataset
from petclassifier.model import PetClassifier


@hydra.main(config_path="../../configs", config_name="config", version_base=None)
def train(cfg: DictConfig) -> None:
    torch.manual_seed(cfg.seed)
    wandb.init(project="petclassifier", config=dict(cfg))
    model = PetClassifier(cfg.model.hidden_dim, cfg.model.dropout)
    optimizer = torch.optim.Adam(model.parameters(), lr=cfg.lr)
    loader = torch.utils.data.DataLoader(load_dataset("data/processed"), batch_size=cfg.batch_size)
    for epoch in range(cfg.epochs):
        for images, labels in loader:
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(images), labels)
            loss.backward()
            optimizer.step()
        wandb.log({"epoch": epoch, "loss": loss.item()})
    torch.save(model.state_dict(), "models/model.pt")


if __name__ == "__main__":
    train()
