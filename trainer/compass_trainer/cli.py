"""``compass-trainer``: selection, training, drift replay, continual updates and evaluation from the command line.

This module parses arguments and nothing else: each command is one function that calls a job and renders its result.
Conventions (``console.py``): results on stdout, ``--json`` for one JSON document instead, logs and errors on stderr;
exit status 0 on success, 2 for a usage error (a bad argument, a missing file), 1 for a data or runtime error.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .console import command, console, fail, fail_run, log, say
from .errors import DataError, UsageError

app = typer.Typer(help="compass trainer: COMPASS selection, DoRA adapters, ECDA updates.", no_args_is_help=True, pretty_exceptions_enable=False)
SAMPLE_DIR = Path(__file__).parent / "data"

Sources = Annotated[
    list[str], typer.Option(help="Data: .jsonl, .parquet, .arrow, a `datasets` folder (save_to_disk; folder@split), or hf://name[:config][@split]")
]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"compass-trainer {version('compass-trainer')}")
        raise typer.Exit()


@app.callback()
def _group(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Every command prints its result as one JSON document")] = False,
) -> None:
    """compass trainer: COMPASS selection, DoRA adapters, ECDA updates."""
    from .console import STATE

    STATE.json = json_output


def _with_sample(sources: list[str], role: str, sample: bool) -> list[str]:
    """The given sources, or with --sample the bundled sample data's file for this role; never a silent default."""
    if sources:
        return sources
    if sample:
        return [str(SAMPLE_DIR / f"{role}.jsonl")]
    raise UsageError(f"--{role}: no data given (pass --{role} <data>, or --sample for the bundled sample data)")


@command(app)
def select(
    target: Annotated[str, typer.Option(help="Target language: any ISO 639-1/3 code or BCP-47 tag (sw, swh, ta, zu-ZA, ...)")],
    train: Sources = [],
    usage: Sources = [],
    pool: Sources = [],
    sample: Annotated[bool, typer.Option(help="Use the bundled sample data for whichever of --train/--usage/--pool is not given")] = False,
    field: Annotated[str | None, typer.Option(help="Field names: inputs=…,targets=…,language=…,id=… (default Aya's inputs, targets, language_code)")] = None,
    out: Annotated[Path, typer.Option(help="Output directory")] = Path("out/select"),
    budget: Annotated[float, typer.Option(help="B: auxiliary examples = round(B·|D_t|)")] = 0.8,
    method: Annotated[str, typer.Option(help="compass | target | all | random | langsim | langrank | dsir")] = "compass",
    variant: Annotated[str, typer.Option(help="COMPASS-S (stochastic) or COMPASS-D (deterministic)")] = "S",
    clusterer: Annotated[str, typer.Option(help="kmeans | hdbscan | ward | butina")] = "kmeans",
    n_clusters: Annotated[int | None, typer.Option(help="Fixed K for k-means (default: search K by silhouette)")] = None,
    exhaustive_search: Annotated[bool, typer.Option(help="k-means: the paper's exhaustive K search (every K on all rows, 10 restarts; slow)")] = False,
    encoder: Annotated[str, typer.Option(help="sketch | st:<model> | hf:<model> | onnx:<model.onnx>@<tokenizer>")] = "sketch",
    cluster_weights: Annotated[bool, typer.Option(help="Ablation: --no-cluster-weights gives equal quotas")] = True,
    sample_weights: Annotated[bool, typer.Option(help="Ablation: --no-sample-weights samples uniformly in clusters")] = True,
    cache_dir: Annotated[Path | None, typer.Option(help="Embedding cache directory")] = Path(".cache/embeddings"),
    train_embeddings: Annotated[Path | None, typer.Option(help="Precomputed embeddings of --train rows (.npy or .parquet), instead of --encoder")] = None,
    usage_embeddings: Annotated[Path | None, typer.Option(help="Precomputed embeddings of --usage rows")] = None,
    pool_embeddings: Annotated[Path | None, typer.Option(help="Precomputed embeddings of --pool rows")] = None,
    embedding_column: Annotated[str | None, typer.Option(help="Column holding the vectors in Parquet embedding files")] = None,
    edge_model: Annotated[str, typer.Option(help="Edge cluster model over sketch features: logreg | mlp | none (nearest sketch centroid)")] = "logreg",
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
) -> dict:
    """Select auxiliary data for one target language (METHOD §1) and write selected.jsonl + report.json/.png."""
    from .data import parse_fields
    from .pipeline import SelectJob, run_select

    precomputed = {k: v for k, v in (("train", train_embeddings), ("usage", usage_embeddings), ("pool", pool_embeddings)) if v}
    job = SelectJob(
        target=target,
        train=_with_sample(train, "train", sample),
        usage=_with_sample(usage, "usage", sample),
        pool=_with_sample(pool, "pool", sample),
        out=out,
        method=method,
        variant=variant,
        clusterer=clusterer,
        n_clusters=n_clusters,
        exhaustive_search=exhaustive_search,
        encoder=encoder,
        budget=budget,
        seed=seed,
        cluster_weights=cluster_weights,
        sample_weights=sample_weights,
        cache_dir=cache_dir,
        schema=parse_fields(field),
        precomputed=precomputed,
        embedding_column=embedding_column,
        edge_model=None if edge_model == "none" else edge_model,
    )
    result = run_select(job, log=log)
    report = result.report
    if report.get("clusters"):
        table = Table(title=f"clusters ({report['clusterer']['method']}, K={len(report['clusters'])})")
        for col in ("cluster", "topic", "n_t", "n_aux", "n_eval", "w̃", "quota", "taken"):
            table.add_column(col, justify="right")
        for c in sorted(report["clusters"], key=lambda c: -c["weight"])[:12]:
            table.add_row(
                str(c["cluster"]),
                c.get("dominant_topic", ""),
                str(c["n_target"]),
                str(c["n_aux"]),
                str(c["n_eval"]),
                f"{c['weight']:.3f}",
                str(c["quota"]),
                str(c["taken"]),
            )
        say(table)
    if report.get("js_before") is not None:
        say(f"JS(train ‖ usage) over clusters: before {report['js_before']:.3f} → after {report['js_after']:.3f}")
    if report.get("note"):
        say(f"note: {report['note']}")
    say(f"selected {report['selected']} auxiliary examples from {report.get('source_languages')}")
    say(f"data   → {result.data_path}\nreport → {result.report_path}\nfigure → {result.figure_path}")
    return {
        "data": str(result.data_path),
        "report": str(result.report_path),
        "figure": str(result.figure_path),
        **{k: report[k] for k in ("target", "method", "selected", "train_rows", "usage_rows", "pool_rows") if k in report},
        **({"js_before": report["js_before"], "js_after": report["js_after"]} if "js_before" in report else {}),
    }


@command(app, "init-base")
def init_base(
    out: Annotated[Path, typer.Option(help="Where to write the tiny base model")] = Path("out/tiny-base"),
    data: Sources = [],
    sample: Annotated[bool, typer.Option(help="Train the tokenizer on the bundled sample data (pool and usage)")] = False,
) -> dict:
    """Build a tiny Llama-architecture base model (random weights) + BPE tokenizer: the CPU stand-in for a real base."""
    from .data import read_examples
    from .training import build_tiny_base

    if not data and not sample:
        raise UsageError("--data: no texts given for the tokenizer (pass --data <data>, or --sample for the bundled sample data)")
    sources = data or [str(SAMPLE_DIR / "pool.jsonl"), str(SAMPLE_DIR / "usage.jsonl")]
    texts = [e.text for source in sources for e in read_examples(source)]
    path = build_tiny_base(out, texts)
    say(f"tiny base model → {path}")
    return {"base": str(path)}


@command(app)
def train(
    data: Annotated[Path, typer.Option(help="selected.jsonl from `select` (D_t ∪ S)")],
    language: Annotated[str, typer.Option(help="The adapter's language")],
    out: Annotated[Path, typer.Option(help="Adapter output directory")],
    base: Annotated[str | None, typer.Option(help="Base model id or path (default: the preset's)")] = None,
    preset: Annotated[str, typer.Option(help="phi-4-mini | llama-3.1-8b | qwen2.5-7b | tiny")] = "tiny",
    method: Annotated[str, typer.Option(help="dora | lora")] = "dora",
    epochs: Annotated[int, typer.Option(help="At most this many epochs (early stopping on a held-out slice)")] = 3,
    cluster_model: Annotated[Path | None, typer.Option(help="cluster_model.json from `select` (enables ECDA updates)")] = None,
    report: Annotated[Path | None, typer.Option(help="report.json from `select` (its hash goes into the metadata)")] = None,
) -> dict:
    """Train one language's DoRA (or LoRA) adapter and save it in PEFT's format with compass metadata."""
    from .training import preset as make_preset
    from .training.jobs import train_job

    try:
        default_base, cfg = make_preset(preset, method=method, epochs=epochs)
    except ValueError as err:
        raise UsageError(str(err)) from None
    base = base or default_base
    if not base:
        fail("the tiny preset has no hub model: pass --base (build one with `compass-trainer init-base`)")
    if not data.is_file():
        fail(f"--data {data}: no such file")
    outcome = train_job(data, base, out, language, cfg, cluster_model=cluster_model, report=report)
    m = outcome.metadata["metrics"]
    say(
        f"{method} adapter ({language}) → {outcome.adapter_dir}  train loss {m['train_losses'][0]:.3f} → {m['train_losses'][-1]:.3f}, "
        f"held-out {m['heldout_losses'][-1] if m['heldout_losses'] else float('nan'):.3f}, {m['tokens_per_second']} tokens/s"
    )
    return {"adapter": str(outcome.adapter_dir), "metadata": outcome.metadata}


@command(app, "export-lora")
def export_lora(
    adapter: Annotated[Path, typer.Option(help="A DoRA adapter directory")],
    base: Annotated[str, typer.Option(help="Its base model id or path")],
    out: Annotated[Path, typer.Option(help="Where to write the LoRA adapter")],
    rank: Annotated[str | None, typer.Option(help="LoRA rank, or 'auto': the smallest reaching --min-agreement (default: the adapter's r)")] = None,
    target: Annotated[str, typer.Option("--for", help="peft | vllm | workers-ai (Workers AI: r ≤ 32, llama/mistral/gemma)")] = "peft",
    max_rank: Annotated[int | None, typer.Option(help="The server's maximum LoRA rank (vLLM --max-lora-rank, default 16 there)")] = None,
    dtype: Annotated[str, typer.Option(help="float16 | bfloat16 | float32 for the exported weights")] = "float16",
    prompts: Annotated[Path | None, typer.Option(help="Held-out prompts (JSONL `inputs`) for next-token agreement (required, or --sample)")] = None,
    sample: Annotated[bool, typer.Option(help="Use the bundled sample usage data in the adapter's language as the prompts")] = False,
    min_agreement: Annotated[float, typer.Option(help="Next-token agreement --rank auto must reach")] = 0.99,
) -> None:
    """Export a DoRA adapter as LoRA (truncated SVD of the merged weight delta) for LoRA-only servers, checked against
    the server's limits, with its reconstruction error and next-token agreement in compass_adapter.json."""
    from .data import Schema, read_examples
    from .training.artifacts import read_metadata
    from .training.export import ExportError, export_job

    if prompts is None and not sample:
        fail("--prompts: no data given (pass --prompts <jsonl>, or --sample for the bundled sample usage data)")
    if prompts is not None and not prompts.is_file():
        fail(f"--prompts {prompts}: no such file")
    try:
        language = read_metadata(adapter).get("language")
        texts = [e.text for e in read_examples(prompts or SAMPLE_DIR / "usage.jsonl", Schema(target_field=None))
                 if prompts or e.language == language]  # fmt: skip
        parsed_rank = rank if rank in (None, "auto") else int(rank)
        report = export_job(adapter, base, out, texts, parsed_rank, target, max_rank, dtype, min_agreement)
    except (ExportError, DataError, ValueError, FileNotFoundError) as err:
        fail(str(err))
    agreement = report["next_token_agreement"]
    console.print(f"LoRA r={report['rank']} ({report['dtype']}, for {report['target']}) → {out}; relative reconstruction error mean "
                  f"{report['mean_relative_error']:.4f}, max {report['max_relative_error']:.4f}; next-token agreement with the DoRA adapter "
                  f"{agreement:.3f} on {report['prompts']} held-out prompts")  # fmt: skip
    for tried in report["tried"] or []:
        console.print(f"  r={tried['rank']:<4} agreement {tried['next_token_agreement']:.3f}  mean error {tried['mean_relative_error']:.4f}")
    if not report["meets_target"]:
        console.print(f"[yellow]no rank within the limit reaches {report['agreement_target']:.0%} next-token agreement; exported r={report['rank']}[/yellow]")


@command(app)
def drift(
    cluster_model: Annotated[Path, typer.Option(help="cluster_model.json (sketch-space centroids, P_ref, θ)")],
    stream: Annotated[str, typer.Option(help="Requests in arrival order (field `inputs`): any data source `select` reads")],
    theta: Annotated[float | None, typer.Option(help="JS threshold (default: the model's θ)")] = None,
    window: Annotated[int, typer.Option(help="Monitoring window (samples)")] = 1000,
    check_every: Annotated[int, typer.Option(help="Check every N new samples")] = 100,
) -> dict:
    """Replay a request stream through the drift monitor and report when and why it would trigger."""
    import json

    import numpy as np

    from .data import Schema, read_examples
    from .drift import replay

    if not cluster_model.is_file():
        fail(f"--cluster-model {cluster_model}: no such file")
    try:
        model = json.loads(cluster_model.read_text(encoding="utf-8"))
    except ValueError as err:
        raise DataError(f"{cluster_model}: invalid JSON ({err})") from None
    texts = [e.text for e in read_examples(stream, Schema(target_field=None, language_field=None))]
    monitor, events = replay(model, texts, theta, window, check_every)
    reference = np.asarray(model["reference"])
    checks = []
    for event in events:
        say(f"after {event.sample:6d} samples  JS {event.js:.3f}  (θ {monitor.theta:.2f})  {'TRIGGER' if event.triggered else 'ok'}")
        check = {"sample": event.sample, "js": event.js, "triggered": event.triggered}
        if event.triggered:
            mon = np.asarray(event.monitoring)
            grew = np.argsort(-(mon - reference))[:3]
            say("   clusters gaining share: " + ", ".join(f"{k} ({reference[k]:.3f}→{mon[k]:.3f})" for k in grew))
            check["gaining"] = [int(k) for k in grew]
            reference = mon
        checks.append(check)
    triggers = sum(e.triggered for e in events)
    say(f"{len(texts)} requests, {triggers} trigger(s)")
    return {"requests": len(texts), "triggers": triggers, "theta": monitor.theta, "checks": checks}


@command(app, "drift-sim")
def drift_sim(
    thetas: Annotated[list[float], typer.Option("--theta", help="Thresholds to compare")] = [0.05, 0.10, 0.15, 0.20, 0.25, 0.30],
    runs: Annotated[int, typer.Option(help="Independent streams per θ")] = 10,
    samples_per_phase: Annotated[int, typer.Option(help="Samples in each of T1..T5")] = 2000,
) -> dict:
    """Paper table 11: updates triggered, mean delay and false positives on the synthetic T1–T5 stream."""
    from dataclasses import asdict

    from .drift_sim import simulate

    table = Table(title=f"temporal shift T1–T5 ({runs} runs × {samples_per_phase} samples/phase, 100-sample increments, window 1000)")
    for col in ("θ", "updates", "shifts detected (of 4)", "mean delay (samples)", "false positives / run", "FP rate"):
        table.add_column(col, justify="right")
    rows = []
    for theta in thetas:
        r = simulate(theta, runs=runs, samples_per_phase=samples_per_phase)
        table.add_row(
            f"{theta:.2f}", f"{r.updates:.1f}", f"{r.detected:.1f}", f"{r.mean_delay:.0f}", f"{r.false_positives:.1f}", f"{r.false_positive_rate:.0%}"
        )
        rows.append({"theta": theta, **asdict(r)})
    say(table)
    return {"rows": rows}


@command(app)
def update(
    adapter: Annotated[Path, typer.Option(help="The current adapter version (with cluster_model.json and anchors.jsonl)")],
    base: Annotated[str, typer.Option(help="Base model id or path")],
    out: Annotated[Path, typer.Option(help="Directory for the new version")],
    previous_data: Annotated[Path | None, typer.Option(help="The current version's training data (default: its training_data.jsonl)")] = None,
    window: Annotated[Path | None, typer.Option(help="The recent window W_recent (JSONL, `inputs`): the usage distribution to re-select for")] = None,
    new_data: Annotated[Path | None, typer.Option(help="Use this selection (selected.jsonl) instead of re-selecting against --window")] = None,
    train: Annotated[list[Path], typer.Option(help="D_t for the re-selection against --window (required with it, or --sample)")] = [],
    pool: Annotated[list[Path], typer.Option(help="D_aux for the re-selection against --window (required with it, or --sample)")] = [],
    sample: Annotated[bool, typer.Option(help="Use the bundled sample data for whichever of --train/--pool is not given")] = False,
    n_clusters: Annotated[int | None, typer.Option(help="Fixed K for the re-selection's k-means")] = None,
    budget: Annotated[float, typer.Option(help="B for the re-selection")] = 0.8,
    strategy: Annotated[str, typer.Option(help="static | naive | full-retrain | ewc | random-rehearsal | ecda")] = "ecda",
    preset: Annotated[str, typer.Option(help="Training preset")] = "tiny",
    lam: Annotated[float, typer.Option("--lambda", help="EWC λ")] = 2.0,
    beta: Annotated[float, typer.Option(help="Anchor replay β")] = 0.1,
    epochs: Annotated[int, typer.Option(help="Epochs per update")] = 5,
    max_forgetting: Annotated[float, typer.Option(help="Largest relative rise of the anchors' loss a publishable version may show")] = 0.10,
) -> None:
    """One update cycle (METHOD §5): re-select with the recent window as the usage distribution, train the next adapter
    version with the strategy (ECDA: anchor replay + EWC), check it against the previous version, write it."""
    from .cycle import CheckConfig, UpdateRequest, update_cycle
    from .training import preset as make_preset
    from .training.strategies import UpdateConfig

    if new_data is None and window is None:
        fail("pass --window (the recent traffic to re-select for) or --new-data (a selection made already)")
    if new_data is None:
        train = [Path(p) for p in _with_sample([str(p) for p in train], "train", sample)]
        pool = [Path(p) for p in _with_sample([str(p) for p in pool], "pool", sample)]
    _, cfg = make_preset(preset)
    request = UpdateRequest(adapter=adapter, base=base, out=out, previous_data=previous_data, window=window, new_data=new_data, train=train,
                            pool=pool, n_clusters=n_clusters, budget=budget, strategy=strategy, train_config=cfg,
                            update=UpdateConfig(lam=lam, beta=beta, epochs=epochs), check=CheckConfig(max_forgetting=max_forgetting))  # fmt: skip
    try:
        result = update_cycle(request, log=console.print)
    except DataError as err:  # a malformed row (named by file and line), or no data left to train on: exit 1
        fail_run(str(err))
    except (ValueError, FileNotFoundError) as err:  # an argument or a missing file: exit 2
        fail(str(err))
    verdict = "publishable" if result.check.publishable else "NOT publishable"
    console.print(f"{strategy} update → {result.adapter_dir} (version {result.version}); {verdict}: {result.check.reason}")


HARNESS_HELP = (
    "lm-eval: lm-evaluation-harness runs the task (simple_evaluate, model hf, peft=<adapter>): hub task names unchanged, "
    "--data-files through a task that includes lm-eval's own global_mmlu_full_<lang> prompt and metric. offline: this "
    "package scores Global-MMLU as lm-eval does (same prompt, tokens, log-likelihoods, acc; tested to agree item by item). "
    "auto: lm-eval where it is installed and can run every task, else offline. MMLU-ProX: lm-eval's mmlu_prox_<lang> is "
    "generative (5-shot chain of thought, exact_match), the offline scorer's log-likelihood acc is not comparable with it"
)


@command(app, "eval")
def evaluate(
    base: Annotated[str, typer.Option(help="Base model id or path")],
    language: Annotated[list[str], typer.Option(help="Languages (sw) or lm-eval task names (global_mmlu_full_sw, mmlu_prox_sw)")],
    adapter: Annotated[list[Path], typer.Option(help="Adapter per language, in the same order (omit for the base model)")] = [],
    schema: Annotated[str, typer.Option(help="global-mmlu | mmlu-prox (for plain language codes)")] = "global-mmlu",
    data_files: Annotated[list[str], typer.Option(help="Local files in the schema (JSON/JSONL/Parquet), one per language (instead of the hub)")] = [],
    harness: Annotated[str, typer.Option(help=HARNESS_HELP)] = "auto",
    split: Annotated[str, typer.Option(help="Split (offline harness; lm-eval uses its task's test split)")] = "test",
    limit: Annotated[int | None, typer.Option(help="At most this many questions per language (per subject for lm-eval's hub groups)")] = None,
    dtype: Annotated[str, typer.Option(help="float32 | bfloat16 | auto (bfloat16 on a GPU)")] = "float32",
    batch_size: Annotated[int, typer.Option(help="lm-eval's batch size")] = 1,
    output: Annotated[Path | None, typer.Option(help="Write the results as lm-eval-style JSON (results.<task>.acc,none / acc_stderr,none, samples)")] = None,
) -> dict:
    """Multiple-choice accuracy per language, through lm-evaluation-harness or the offline scorer (--harness), in
    lm-eval's result layout and as a table."""
    from .atomic import write_json
    from .evaluate import EvalTask, run_offline
    from .harness import can_run, effective_n, main_metric, run_lm_eval

    if harness not in ("auto", "lm-eval", "offline"):
        raise UsageError(f"--harness must be auto, lm-eval or offline, got {harness!r}")
    if dtype not in ("float32", "bfloat16", "auto"):
        raise UsageError(f"--dtype must be float32, bfloat16 or auto, got {dtype!r}")
    tasks = [EvalTask.parse(name, schema) for name in language]
    for path in adapter:
        if not path.is_dir():
            fail(f"--adapter {path}: no such directory")
    for path in data_files:
        if not Path(path).is_file():
            fail(f"--data-files {path}: no such file")
    if harness != "offline":
        refusals = [why for i, task in enumerate(tasks) if (why := can_run(task, data_files[i] if i < len(data_files) else None))]
        if refusals and harness == "lm-eval":
            raise UsageError(f"--harness lm-eval: {refusals[0]}")
        if refusals:
            log(f"offline scorer: {refusals[0]}")
        harness = "offline" if refusals else "lm-eval"
    if harness == "lm-eval":
        results = run_lm_eval(base, tasks, adapter, data_files, limit, dtype, batch_size)
    else:
        results = run_offline(base, tasks, adapter, data_files, split, limit, dtype)
    title = f"lm-eval {results['lm_eval_version']}" if harness == "lm-eval" else "offline scorer, lm-eval's prompt and metric"
    table = Table(title=f"{title} (lm-eval task names)")
    for col in ("task", "model", "n", "metric", "value", "± stderr"):
        table.add_column(col)
    for task in tasks:
        metric, value, stderr = main_metric(results, task.name)
        table.add_row(task.name, results["models"][task.name], str(effective_n(results, task.name)), metric, f"{value:.4f}",
                      "" if stderr is None else f"{stderr:.4f}")  # fmt: skip
    say(table)
    if output:
        write_json(output, results, indent=2)
        say(f"results → {output}")
    return results


@app.command()
def watch(
    from_: Annotated[
        str,
        typer.Option(
            "--from", help="Where triggers come from: a compass worker's URL (GET /admin/triggers), s3://bucket/prefix or a directory (their triggers/ prefix)"
        ),
    ],  # fmt: skip
    base: Annotated[str, typer.Option(help="Base model id or absolute path")],
    token: Annotated[str | None, typer.Option(help="The worker's ADMIN_TOKEN (or set COMPASS_ADMIN_TOKEN)", envvar="COMPASS_ADMIN_TOKEN")] = None,
    once: Annotated[bool, typer.Option("--once", help="Answer the pending triggers, then exit (default: keep polling)")] = False,
    json_: Annotated[bool, typer.Option("--json", help="One JSON object per event on stdout")] = False,
    work: Annotated[Path, typer.Option(help="State directory: watch_state.json, windows, versions (keep it across restarts)")] = Path("compass-watch"),
    adapter: Annotated[list[Path], typer.Option(help="Directory of a published version trained before watch ran (the first update starts from it)")] = [],  # noqa: B006
    language: Annotated[list[str], typer.Option(help="Answer triggers of these languages only (default: all)")] = [],  # noqa: B006
    to: Annotated[str | None, typer.Option(help="Publish target when it differs from --from (worker URL, s3://…, directory)")] = None,
    endpoint: Annotated[str | None, typer.Option(help="S3 endpoint URL (R2's S3 API, SeaweedFS, …) for s3:// stores")] = None,
    canary: Annotated[float, typer.Option(help="Share of the language's traffic a new version gets as a canary")] = 0.1,
    auto_promote_after: Annotated[int | None, typer.Option(help="Let the guard promote after this many clean canary requests (worker only)")] = None,
    since: Annotated[str | None, typer.Option(help="Ignore triggers fired before this ISO 8601 time")] = None,
    interval: Annotated[float, typer.Option(help="Seconds between polls without --once")] = 30.0,
    strategy: Annotated[str, typer.Option(help="static | naive | full-retrain | ewc | random-rehearsal | ecda")] = "ecda",
    n_clusters: Annotated[int | None, typer.Option(help="Fixed K for the re-selection's k-means")] = None,
    budget: Annotated[float, typer.Option(help="B for the re-selection")] = 0.8,
    preset: Annotated[str, typer.Option(help="Training preset")] = "tiny",
    epochs: Annotated[int, typer.Option(help="Epochs per update")] = 5,
    max_forgetting: Annotated[float, typer.Option(help="Largest relative rise of the anchors' loss a publishable version may show")] = 0.10,
    train: Annotated[list[Path], typer.Option(help="D_t for each update's re-selection (required, or --sample)")] = [],  # noqa: B006
    pool: Annotated[list[Path], typer.Option(help="D_aux for each update's re-selection (required, or --sample)")] = [],  # noqa: B006
    sample: Annotated[bool, typer.Option(help="Use the bundled sample data for whichever of --train/--pool is not given")] = False,
) -> None:
    """Answer drift triggers by themselves (METHOD §5–6): for each new trigger, exactly once and resumably after a kill,
    fetch the window sample, run an update cycle (re-selection against the window, anchors, EWC), check the new version
    against the previous one, and publish it as a canary; the worker's guard promotes or rolls it back."""
    import json
    import sys
    import time
    from datetime import datetime, timezone

    from .cycle import CheckConfig, UpdateRequest
    from .languages import to_canonical
    from .store import StoreError
    from .training import preset as make_preset
    from .training.strategies import UpdateConfig
    from .watch import WatchError
    from .watch_sources import SourceError, WatchOptions, open_watch

    errors = Console(stderr=True, soft_wrap=True)

    def emit(event: dict) -> None:
        if json_:
            print(json.dumps(event, ensure_ascii=False, default=str), flush=True)
            return
        facts = " ".join(f"{k}={v}" for k, v in event.items() if k not in ("trigger", "language", "event", "message"))
        line = event.get("message") or facts
        console.print(f"{datetime.now().strftime('%H:%M:%S')} [bold]{event['trigger']}[/bold] {event['event']}: {line}", highlight=False)

    def stop(message: str, code: int = 2) -> None:
        """Exit 2 for a usage error (the default), 1 for a data or runtime error (README's exit codes)."""
        if json_:
            print(json.dumps({"event": "error", "message": message}, ensure_ascii=False), flush=True)
        errors.print(f"[red]error:[/red] {message}", highlight=False)
        raise typer.Exit(code)

    try:
        train = [Path(p) for p in _with_sample([str(p) for p in train], "train", sample)]
        pool = [Path(p) for p in _with_sample([str(p) for p in pool], "pool", sample)]
    except UsageError as err:
        stop(str(err))
    if since is not None:
        try:
            moment = datetime.fromisoformat(since.replace("Z", "+00:00"))
        except ValueError:
            stop(f"--since {since!r} is not an ISO 8601 time")
        # The edge's form (UTC, milliseconds, Z), so that times compare as strings the way the worker compares them.
        moment = moment.replace(tzinfo=moment.tzinfo or timezone.utc).astimezone(timezone.utc)
        since = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    languages = None
    if language:
        unknown = [code for code in language if not to_canonical(code)]
        if unknown:
            stop(f"--language: unknown language code(s) {', '.join(unknown)}")
        languages = {to_canonical(code) for code in language}
    if not 0 < canary <= 1:
        stop(f"--canary must be in (0, 1], got {canary}")
    if not token and any(url and url.startswith(("http://", "https://")) for url in (from_, to)):
        stop("the worker's admin API needs a token: pass --token or set COMPASS_ADMIN_TOKEN")
    for seed in adapter:
        if not (seed / "compass_adapter.json").is_file():
            stop(f"--adapter {seed}: no compass_adapter.json there (pass a trained adapter directory)")
    try:
        _, cfg = make_preset(preset)
    except (KeyError, ValueError) as err:
        stop(f"--preset: {err}")
    template = UpdateRequest(adapter=Path(), base=base, out=Path(), train=train, pool=pool,
                             n_clusters=n_clusters, budget=budget, strategy=strategy, train_config=cfg,
                             update=UpdateConfig(epochs=epochs), check=CheckConfig(max_forgetting=max_forgetting))  # fmt: skip
    options = WatchOptions(from_, token, work, to, endpoint, languages, since, list(adapter), canary, auto_promote_after)
    try:
        watcher = open_watch(options, template, emit)
        while True:
            records = watcher.run_once()
            if once:
                break
            if not json_:
                console.print(f"{datetime.now().strftime('%H:%M:%S')} {len(records)} trigger(s) seen; next poll in {interval:.0f} s", highlight=False)
            time.sleep(interval)
    except (SourceError, WatchError, StoreError, DataError, ValueError, FileNotFoundError) as err:
        # A malformed trigger or window, a store or worker that refuses or cannot be reached: data/runtime, not usage.
        stop(str(err), 1)
    except KeyboardInterrupt:
        errors.print("interrupted: the state file keeps every finished step; run watch again to resume")
        sys.exit(130)


TOKEN_HELP = "The worker's ADMIN_TOKEN (or set COMPASS_ADMIN_TOKEN)"


@command(app)
def publish(
    adapter_dir: Annotated[Path, typer.Argument(help="A trained adapter directory (PEFT files + compass_adapter.json)")],
    to: Annotated[str | None, typer.Option(help="s3://bucket/prefix, a local directory, or a compass worker's URL (http(s)://…)")] = None,
    token: Annotated[str | None, typer.Option(help=TOKEN_HELP, envvar="COMPASS_ADMIN_TOKEN")] = None,
    endpoint: Annotated[str | None, typer.Option(help="S3 endpoint URL (R2's S3 API, SeaweedFS, …) for s3:// targets")] = None,
    canary: Annotated[float | None, typer.Option(help="Start a canary with this share of the language's traffic")] = None,
    name: Annotated[str | None, typer.Option(help="Adapter name (default: compass-<language>-v<version>); with --workers-ai the fine-tune's name")] = None,
    workers_ai: Annotated[bool, typer.Option("--workers-ai", help="Upload a LoRA export to Workers AI as a fine-tune (Cloudflare's REST API) instead")] = False,
    account_id: Annotated[str | None, typer.Option(help="--workers-ai: the Cloudflare account id", envvar="CLOUDFLARE_ACCOUNT_ID")] = None,
    api_token: Annotated[str | None, typer.Option(help="--workers-ai: a Cloudflare API token with Workers AI Write", envvar="CLOUDFLARE_API_TOKEN")] = None,
    model: Annotated[
        str | None, typer.Option(help="--workers-ai: the Workers AI base model taking LoRAs, e.g. @cf/mistral/mistral-7b-instruct-v0.2-lora")
    ] = None,
    description: Annotated[str | None, typer.Option(help="--workers-ai: the fine-tune's description")] = None,
    api_base: Annotated[str, typer.Option(help="--workers-ai: Cloudflare's API base URL")] = "https://api.cloudflare.com",
    api_timeout: Annotated[float, typer.Option(help="--workers-ai: seconds each API call may wait per read or write")] = 120.0,
) -> dict | None:
    """Check an adapter, write its model card and publish it as an immutable version; register it in the manifest.
    With --workers-ai, upload a LoRA export (r ≤ 32, llama/mistral/gemma, under 300 MB) to Workers AI as a fine-tune."""
    from .publish import PublishError, check_adapter, publish_to_store, publish_to_worker
    from .store import StoreError, open_store
    from .store.manifest import ChangeRefused
    from .store.worker import WorkerClient

    if workers_ai:
        return _publish_workers_ai(adapter_dir, name, account_id, api_token, model, description, api_base, api_timeout)
    if not to:
        fail("pass --to (a store or a compass worker) or --workers-ai")
    # Arguments first (exit 2), before anything is read or sent; then the adapter's checks, the store's and the
    # worker's answers are data or runtime errors (exit 1).
    if not adapter_dir.is_dir():
        fail(f"{adapter_dir}: no such adapter directory")
    if canary is not None and not 0 < canary <= 1:
        fail(f"--canary must be in (0, 1], got {canary}")
    try:
        target = WorkerClient(to, token) if to.startswith(("http://", "https://")) else open_store(to, endpoint)
    except StoreError as err:
        fail(str(err))
    try:
        checked = check_adapter(adapter_dir, name)
        if isinstance(target, WorkerClient):
            result = publish_to_worker(checked, target, canary)
        else:
            result = publish_to_store(checked, target, canary)
    except (PublishError, StoreError, ChangeRefused, OSError) as err:
        fail_run(str(err))
    console.print(f"published {checked.name}@{checked.version} ({checked.language}) → {to} {result.prefix}: "
                  f"{len(result.uploaded)} file(s) uploaded, {len(result.already_there)} already there; sha256 {result.record['adapterSha256']}")  # fmt: skip
    if result.activated:
        console.print(f"manifest revision {result.manifest_revision}: {checked.name}@{checked.version} is now the {result.activated}"
                      + (f" ({canary:.0%} of {checked.language} traffic)" if result.activated == "canary" else ""))  # fmt: skip
    return None


def _publish_workers_ai(adapter_dir: Path, name: str | None, account_id: str | None, api_token: str | None, model: str | None,
                        description: str | None, api_base: str, api_timeout: float) -> dict:  # fmt: skip
    from .publish import METADATA, PublishError, _json_file
    from .workers_ai import FinetuneClient, publish_to_workers_ai

    # Arguments first (exit 2), before anything is read or sent; the export's checks and the API's answers are data or
    # runtime errors (exit 1).
    if not adapter_dir.is_dir():
        fail(f"{adapter_dir}: no such adapter directory")
    if not account_id:
        fail("--workers-ai needs --account-id (or CLOUDFLARE_ACCOUNT_ID)")
    if not api_token:
        fail("--workers-ai needs --api-token or CLOUDFLARE_API_TOKEN (a token with Workers AI Write)")
    if not model:
        fail("--workers-ai needs --model, the Workers AI base model taking LoRAs (e.g. @cf/mistral/mistral-7b-instruct-v0.2-lora)")
    if api_timeout <= 0:
        fail(f"--api-timeout must be positive, got {api_timeout}")
    try:
        meta = _json_file(adapter_dir / METADATA) if (adapter_dir / METADATA).is_file() else {}
    except PublishError as err:
        fail_run(str(err))
    name = name or str(meta.get("name") or (f"compass-{meta['language']}-v{meta['version']}" if {"language", "version"} <= meta.keys() else adapter_dir.name))
    description = description or f"compass LoRA adapter {name}" + (f" ({meta['language']})" if meta.get("language") else "")
    try:
        finetune = publish_to_workers_ai(adapter_dir, FinetuneClient(account_id, api_token, api_base, api_timeout), model, name, description)
    except PublishError as err:
        fail_run(str(err))
    # Published versions are immutable, so the fine-tune is not written into the registry: it is this command's result.
    say(f"Workers AI fine-tune {finetune.get('name', name)} (id {finetune['id']}) on {model}: adapter_config.json and "
        f"adapter_model.safetensors uploaded; use it with env.AI.run('{model}', {{ messages, lora: '{finetune.get('name', name)}' }})")  # fmt: skip
    return {"finetune": finetune, "model": model, "name": finetune.get("name", name), "files": ["adapter_config.json", "adapter_model.safetensors"]}


rollout_app = typer.Typer(help="Canary, promote, roll back or abort a language's adapter through a compass worker.", no_args_is_help=True)
app.add_typer(rollout_app, name="rollout")

LanguageOpt = Annotated[str, typer.Option(help="The language (canonical code, e.g. sw)")]
ToOpt = Annotated[str, typer.Option(help="The compass worker's base URL")]
TokenOpt = Annotated[str | None, typer.Option(help=TOKEN_HELP, envvar="COMPASS_ADMIN_TOKEN")]
ReasonOpt = Annotated[str | None, typer.Option(help="Why (recorded in the history)")]


def _rollout(language: str, to: str, token: str | None, body: dict | None) -> None:
    import json

    from .store import StoreError
    from .store.worker import WorkerClient

    if not to.startswith(("http://", "https://")):
        fail(f"--to {to!r}: a compass worker's URL (http(s)://…)")
    try:
        client = WorkerClient(to, token)
    except StoreError as err:  # no token: an argument missing
        fail(str(err))
    try:
        answer = client.rollout(language, body) if body else client.status(language)
    except StoreError as err:  # the worker refused the transition, or could not be reached
        fail_run(str(err))
    print(json.dumps(answer, indent=1, ensure_ascii=False))


@command(rollout_app, "status")
def rollout_status(language: LanguageOpt, to: ToOpt, token: TokenOpt = None) -> None:
    """The language's stable adapter, canary, guard figures and history."""
    _rollout(language, to, token, None)


@command(rollout_app, "canary")
def rollout_canary(
    language: LanguageOpt, to: ToOpt, version: Annotated[str, typer.Option(help="The published version")],
    share: Annotated[float, typer.Option(help="Share of the language's traffic, in (0, 1]")],
    name: Annotated[str | None, typer.Option(help="Adapter name (default: the stable adapter's)")] = None,
    auto_promote_after: Annotated[int | None, typer.Option(help="Let the guard promote after this many clean canary requests")] = None,
    min_samples: Annotated[int | None, typer.Option(help="Requests each arm needs before the guard tests (default 50)")] = None,
    token: TokenOpt = None, reason: ReasonOpt = None,
) -> None:  # fmt: skip
    """Start a canary of a published version."""
    body: dict = {"action": "canary", "version": version, "share": share}
    body.update({k: v for k, v in (("name", name), ("autoPromoteAfter", auto_promote_after), ("reason", reason)) if v is not None})
    if min_samples is not None:
        body["guard"] = {"minSamples": min_samples}
    _rollout(language, to, token, body)


@command(rollout_app, "promote")
def rollout_promote(language: LanguageOpt, to: ToOpt, token: TokenOpt = None, reason: ReasonOpt = None) -> None:
    """Make the running canary the stable adapter."""
    _rollout(language, to, token, {"action": "promote", **({"reason": reason} if reason else {})})


@command(rollout_app, "rollback")
def rollout_rollback(language: LanguageOpt, to: ToOpt, token: TokenOpt = None, reason: ReasonOpt = None) -> None:
    """Drop the running canary, or without one restore the previous stable adapter."""
    _rollout(language, to, token, {"action": "rollback", **({"reason": reason} if reason else {})})


@command(rollout_app, "abort")
def rollout_abort(language: LanguageOpt, to: ToOpt, token: TokenOpt = None, reason: ReasonOpt = None) -> None:
    """Drop the running canary without a verdict."""
    _rollout(language, to, token, {"action": "abort", **({"reason": reason} if reason else {})})
