"""The baseline for start-up figures: a minimal Typer app with two commands,
run the same way as ehtool (a fresh Python process)."""

import typer

app = typer.Typer()


@app.command()
def hello(name: str = "world"):
    print(f"hello {name}")


@app.command()
def bye(name: str = "world"):
    print(f"bye {name}")


if __name__ == "__main__":
    app()
