"""``compass-trainer``: selection, training, drift replay, continual updates and evaluation from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .data import DataError

app = typer.Typer(help="compass trainer: COMPASS selection, DoRA adapters, ECDA updates.", no_args_is_help=True, pretty_exceptions_enable=False)
console = Console()
SAMPLE_DIR = Path(__file__).parent / "data"


@app.callback()
def _group() -> None:
    """compass trainer: COMPASS selection, DoRA adapters, ECDA updates."""


def fail(message: str) -> None:
    console.print(f"[red]error:[/red] {message}")
    raise typer.Exit(2)


@app.command()
def select(
    target: Annotated[str, typer.Option(help="Target language (any known code: sw, swh, ...)")],
    train: Annotated[list[Path], typer.Option(help="Target training data D_t (JSONL/Parquet; rows of other languages are dropped)")] = [SAMPLE_DIR / "train.jsonl"],  # noqa: B006
    usage: Annotated[list[Path], typer.Option(help="Usage proxy E_t (inputs only are used)")] = [SAMPLE_DIR / "usage.jsonl"],  # noqa: B006
    pool: Annotated[list[Path], typer.Option(help="Auxiliary pool D_aux")] = [SAMPLE_DIR / "pool.jsonl"],  # noqa: B006
    out: Annotated[Path, typer.Option(help="Output directory")] = Path("out/select"),
    budget: Annotated[float, typer.Option(help="B: auxiliary examples = round(B·|D_t|)")] = 0.8,
    method: Annotated[str, typer.Option(help="compass | target | all | random | langsim | langrank | dsir")] = "compass",
    variant: Annotated[str, typer.Option(help="COMPASS-S (stochastic) or COMPASS-D (deterministic)")] = "S",
    clusterer: Annotated[str, typer.Option(help="kmeans | hdbscan | ward | butina")] = "kmeans",
    n_clusters: Annotated[int | None, typer.Option(help="Fixed K for k-means (default: search K by silhouette)")] = None,
    encoder: Annotated[str, typer.Option(help="sketch | st:<model> | hf:<model> | onnx:<model.onnx>@<tokenizer>")] = "sketch",
    cluster_weights: Annotated[bool, typer.Option(help="Ablation: --no-cluster-weights gives equal quotas")] = True,
    sample_weights: Annotated[bool, typer.Option(help="Ablation: --no-sample-weights samples uniformly in clusters")] = True,
    cache_dir: Annotated[Path | None, typer.Option(help="Embedding cache directory")] = Path(".cache/embeddings"),
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
) -> None:
    """Select auxiliary data for one target language (METHOD §1) and write selected.jsonl + report.json/.png."""
    from .pipeline import SelectJob, run_select

    if variant not in ("S", "D"):
        fail(f"--variant must be S or D, got {variant}")
    try:
        result = run_select(SelectJob(target=target, train=train, usage=usage, pool=pool, out=out, method=method, variant=variant,
                                      clusterer=clusterer, n_clusters=n_clusters, encoder=encoder, budget=budget, seed=seed,
                                      cluster_weights=cluster_weights, sample_weights=sample_weights, cache_dir=cache_dir),
                            log=console.print)  # fmt: skip
    except (DataError, ValueError) as err:
        fail(str(err))
    report = result.report
    if report.get("clusters"):
        table = Table(title=f"clusters ({report['clusterer']['method']}, K={len(report['clusters'])})")
        for col in ("cluster", "topic", "n_t", "n_aux", "n_eval", "w̃", "quota", "taken"):
            table.add_column(col, justify="right")
        for c in sorted(report["clusters"], key=lambda c: -c["weight"])[:12]:
            table.add_row(str(c["cluster"]), c.get("dominant_topic", ""), str(c["n_target"]), str(c["n_aux"]), str(c["n_eval"]), f"{c['weight']:.3f}", str(c["quota"]), str(c["taken"]))
        console.print(table)
        console.print(f"JS(train ‖ usage) over clusters: before {report['js_before']:.3f} → after {report['js_after']:.3f}")
    console.print(f"selected {report['selected']} auxiliary examples from {report.get('source_languages')}")
    console.print(f"data   → {result.data_path}\nreport → {result.report_path}\nfigure → {result.figure_path}")

