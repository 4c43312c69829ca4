"""``eval`` through lm-evaluation-harness itself (``lm_eval.simple_evaluate``, model ``hf`` with ``peft=`` for an
adapter): hub task names (``global_mmlu_full_sw``, ``mmlu_prox_sw``) go to lm-eval unchanged; a language with local
data files runs a task written here that includes lm-eval's own ``global_mmlu_full_<lang>`` template (prompt,
choices, target, metric) and reads the files instead of the hub dataset.

The result is lm-eval's own dictionary (``results``, ``groups``, ``configs``, ``n-samples``, ``versions``, ``config``)
merged over the tasks (one lm-eval run per task, since each task may have its own adapter), with ``samples`` reduced
to what the per-item comparison with the offline scorer needs and ``models`` naming what scored each task.
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from .errors import UsageError
from .evaluate import EvalTask


def installed() -> bool:
    return importlib.util.find_spec("lm_eval") is not None


def global_mmlu_template(language: str) -> Path | None:
    """The installed lm-eval's template YAML of ``global_mmlu_full_<language>``, or None where it has no such task."""
    import lm_eval

    path = Path(lm_eval.__file__).parent / "tasks" / "global_mmlu" / "full" / language / f"_{language}_template_yaml"
    return path if path.is_file() else None


def can_run(task: EvalTask, data_file: str | None) -> str | None:
    """None when lm-eval can run ``task`` (with ``data_file`` when given), else why not."""
    if not installed():
        return "lm_eval is not installed (pip install 'lm_eval==0.4.13')"
    if data_file is None:
        return None  # a hub task name: lm-eval resolves it, or says it does not know it
    if task.schema != "global-mmlu":
        return ("lm-eval's mmlu_prox tasks are generative (5-shot chain of thought, exact_match) and take their shots from the hub dataset's "
                "validation split: run mmlu_prox_<lang> against the hub, or score local MMLU-ProX files with --harness offline")  # fmt: skip
    if global_mmlu_template(task.language) is None:
        return f"lm-eval has no global_mmlu_full_{task.language} task to take the prompt from"
    return None


def write_local_task(task: EvalTask, data_file: str, directory: Path) -> Path:
    """A task YAML named ``task.name`` that includes lm-eval's ``global_mmlu_full_<lang>`` template and reads
    ``data_file`` (JSON/JSONL or Parquet, the Global-MMLU columns) as its test split, without shots."""
    import yaml

    kind = "parquet" if str(data_file).endswith(".parquet") else "json"
    config = {
        "include": str(global_mmlu_template(task.language)),
        "task": task.name,
        "dataset_path": kind,
        "dataset_name": None,
        "dataset_kwargs": {"data_files": {"test": str(Path(data_file).resolve())}},
        "test_split": "test",
        "fewshot_split": None,
        "fewshot_config": None,
    }
    path = directory / f"{task.name}.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def run_lm_eval(base: str, tasks: list[EvalTask], adapters: list, data_files: list[str], limit: int | None = None, dtype: str = "float32",
                batch_size: int = 1) -> dict:  # fmt: skip
    """Run each task through ``lm_eval.simple_evaluate`` and merge the results (see the module's docstring)."""
    import lm_eval
    from lm_eval.tasks import TaskManager

    from .training import TrainConfig
    from .training.loop import device_and_dtype

    device, torch_dtype = device_and_dtype(TrainConfig(dtype=dtype))
    if Path(base).exists():
        base = str(Path(base).resolve())
    merged: dict = {"results": {}, "groups": {}, "group_subtasks": {}, "configs": {}, "versions": {}, "n-shot": {}, "higher_is_better": {},
                    "n-samples": {}, "samples": {}, "models": {}, "harness": "lm-eval", "lm_eval_version": lm_eval.__version__}  # fmt: skip
    hub_tasks: TaskManager | None = None
    with tempfile.TemporaryDirectory(prefix="compass-lm-eval-") as tmp:
        for i, task in enumerate(tasks):
            data_file = data_files[i] if i < len(data_files) else None
            if data_file:
                directory = Path(tmp) / str(i)
                directory.mkdir()
                write_local_task(task, data_file, directory)
                manager = TaskManager(include_path=str(directory), include_defaults=False)
            else:
                hub_tasks = hub_tasks or TaskManager()
                manager = hub_tasks
                if task.name not in manager.all_tasks:
                    raise UsageError(f"lm-eval {lm_eval.__version__} has no task '{task.name}'")
            model_args = {"pretrained": base, "dtype": str(torch_dtype).removeprefix("torch.")}
            if i < len(adapters):
                model_args["peft"] = str(Path(adapters[i]).resolve())
            out = lm_eval.simple_evaluate(model="hf", model_args=model_args, tasks=[task.name], task_manager=manager, device=str(device),
                                          batch_size=batch_size, limit=limit, log_samples=True)  # fmt: skip
            if out is None:
                raise RuntimeError(f"lm-eval returned no result for {task.name}")
            for key in ("results", "groups", "group_subtasks", "configs", "versions", "n-shot", "higher_is_better", "n-samples"):
                merged[key].update(out.get(key, {}))
            merged["config"] = out.get("config", {})
            merged["models"][task.name] = f"peft={model_args['peft']}" if "peft" in model_args else "base"
            for name, records in out.get("samples", {}).items():
                merged["samples"][name] = [_sample(record) for record in records]
    return merged


def _sample(record: dict) -> dict:
    """One question of lm-eval's logged samples as the offline scorer records it (for a multiple-choice task: each
    option's log-likelihood and the choice, lm-eval's ``np.argmax``), or lm-eval's filtered response otherwise."""
    out = {"doc_id": record["doc_id"], "target": record["target"]}
    responses = record.get("filtered_resps", [])
    if responses and all(isinstance(r, list | tuple) and len(r) == 2 and isinstance(r[0], float) for r in responses):
        likelihoods = [float(r[0]) for r in responses]
        options = [str(argument[1]).strip() for argument in record["arguments"]]
        out.update(loglikelihoods=likelihoods, choice=options[max(range(len(likelihoods)), key=likelihoods.__getitem__)])
    else:
        out["response"] = responses
    out.update({metric: record[metric] for metric in record.get("metrics", []) if metric in record})
    return out


def effective_n(results: dict, name: str) -> int:
    """Questions scored for ``name``: its own count, or for a group (``global_mmlu_full_sw`` from the hub is a group of
    57 subjects) the sum over its subtasks."""
    if name in results.get("n-samples", {}):
        return int(results["n-samples"][name]["effective"])
    return sum(effective_n(results, sub) for sub in results.get("group_subtasks", {}).get(name, []))


def main_metric(results: dict, name: str) -> tuple[str, float, float | None]:
    """(metric, value, stderr) of a task's result: ``acc`` for multiple choice, else the first metric lm-eval reports
    (``exact_match,custom-extract`` for mmlu_prox)."""
    entry = results["results"][name]
    keys = [k for k in entry if "," in k and "_stderr," not in k]
    key = "acc,none" if "acc,none" in keys else keys[0]
    metric, filt = key.split(",", 1)
    stderr = entry.get(f"{metric}_stderr,{filt}")
    return key, float(entry[key]), float(stderr) if isinstance(stderr, int | float) else None
