"""Project commands, run with invoke (e.g. `invoke train`)."""

from invoke import Context, task


@task
def preprocess_data(ctx: Context) -> None:
    """Turn the raw images into one tensor file."""
    ctx.run("python -m petclassifier.data data/raw data/processed", echo=True)


@task
def train(ctx: Context) -> None:
    """Train the model with the default configuration."""
    ctx.run("python -m petclassifier.train", echo=True)


@task
def sweep_learning_rate(ctx: Context) -> None:
    """Train once per learning rate, with Hydra's multirun."""
    ctx.run("python -m petclassifier.train --multirun lr=0.01,0.001,0.0001", echo=True)


@task
def docker_build(ctx: Context) -> None:
    """Build the training and API images."""
    ctx.run("docker build -t train:latest -f dockerfiles/train.dockerfile .", echo=True)
    ctx.run("docker build -t api:latest -f dockerfiles/api.dockerfile .", echo=True)
