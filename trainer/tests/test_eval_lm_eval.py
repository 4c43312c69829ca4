"""`eval` through lm-evaluation-harness and through the offline scorer, on the same model, adapter and fixture: lm-eval
runs a local task that includes its own ``global_mmlu_full_sw`` template and reads ``fixtures/global_mmlu_sw.jsonl``
(24 questions in Global-MMLU's columns); the offline scorer must agree with it on ``acc`` and on every question's
choice. One module-scoped run of each: loading lm-eval's task machinery is the slow part."""

import json
from pathlib import Path

import lm_eval
import pytest
from typer.testing import CliRunner

from compass_trainer.cli import app
from compass_trainer.evaluate import EvalTask, loglikelihood, prompt_for
from compass_trainer.training import TrainConfig


FIXTURE = Path(__file__).parent / "fixtures" / "global_mmlu_sw.jsonl"
ROW = {"question": "  Mvua hunyesha lini?\n", "option_a": "asubuhi", "option_b": "mchana", "option_c": "jioni", "option_d": "usiku", "answer": "C"}
runner = CliRunner()


@pytest.fixture(scope="module")
def adapter(tiny_base, tmp_path_factory):
    """A DoRA adapter fitted for five steps to the letters of the fixture's even questions, on eval's own prompt (the
    train job's chat template is not what a zero-shot eval sees): the base model answers A to every question, with the
    adapter the choices differ from question to question, so agreement item by item means something."""
    import torch
    from peft import LoraConfig, get_peft_model

    from compass_trainer.evaluate import encode_pair
    from compass_trainer.training import load_base

    torch.manual_seed(0)
    model, tokenizer = load_base(str(tiny_base), TrainConfig(dtype="float32"))
    model = get_peft_model(model, LoraConfig(r=8, lora_alpha=16, target_modules="all-linear", use_dora=True))
    rows = [json.loads(line) for line in FIXTURE.read_text(encoding="utf-8").splitlines()][::2]
    pairs = [encode_pair(tokenizer, prompt_for(r, "global-mmlu")[0], " " + r["answer"]) for r in rows]
    width = max(len(c) + len(a) for c, a in pairs)
    ids = torch.full((len(pairs), width), tokenizer.pad_token_id)
    labels = torch.full((len(pairs), width), -100)
    mask = torch.zeros((len(pairs), width), dtype=torch.long)
    for i, (context, answer) in enumerate(pairs):
        ids[i, : len(context) + len(answer)] = torch.tensor(context + answer)
        labels[i, len(context) : len(context) + len(answer)] = torch.tensor(answer)
        mask[i, : len(context) + len(answer)] = 1
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2)
    for _ in range(5):
        optimiser.zero_grad()
        model(input_ids=ids, attention_mask=mask, labels=labels).loss.backward()
        optimiser.step()
    out = tmp_path_factory.mktemp("eval-adapter") / "adapter-sw"
    model.save_pretrained(out)
    return out


@pytest.fixture(scope="module")
def both(tiny_base, adapter, tmp_path_factory):
    """The CLI's results.json from each harness on the fixture."""
    out = tmp_path_factory.mktemp("eval-results")
    written = {}
    for harness in ("lm-eval", "offline"):
        path = out / f"{harness}.json"
        args = ["eval", "--base", str(tiny_base), "--language", "global_mmlu_full_sw", "--adapter", str(adapter), "--data-files", str(FIXTURE)]
        result = runner.invoke(app, [*args, "--harness", harness, "--output", str(path)])
        assert result.exit_code == 0, result.output
        assert "global_mmlu_full_sw" in result.stdout and f"peft={adapter}" in result.stdout
        written[harness] = json.loads(path.read_text(encoding="utf-8"))
    return written


def test_lm_eval_and_the_offline_scorer_agree_on_acc_and_on_every_choice(both):
    lm, offline = both["lm-eval"], both["offline"]
    assert lm["harness"] == "lm-eval" and offline["harness"] == "offline"
    assert lm["n-samples"]["global_mmlu_full_sw"]["effective"] == offline["n-samples"]["global_mmlu_full_sw"]["effective"] == 24
    assert lm["results"]["global_mmlu_full_sw"]["acc,none"] == offline["results"]["global_mmlu_full_sw"]["acc,none"]
    assert lm["results"]["global_mmlu_full_sw"]["acc_stderr,none"] == pytest.approx(offline["results"]["global_mmlu_full_sw"]["acc_stderr,none"], rel=1e-12)
    lm_items = sorted(lm["samples"]["global_mmlu_full_sw"], key=lambda s: s["doc_id"])
    offline_items = offline["samples"]["global_mmlu_full_sw"]
    assert [s["choice"] for s in lm_items] == [s["choice"] for s in offline_items]
    assert [s["acc"] for s in lm_items] == [s["acc"] for s in offline_items]
    for ours, theirs in zip(offline_items, lm_items):
        assert ours["loglikelihoods"] == pytest.approx(theirs["loglikelihoods"], abs=1e-4)
    assert len({s["choice"] for s in offline_items}) > 1  # the model does not answer one letter to everything
    print(f"acc {offline['results']['global_mmlu_full_sw']['acc,none']}, choices {''.join(s['choice'] for s in offline_items)}")


def test_the_lm_eval_run_is_lm_evals_own_global_mmlu_task_with_the_adapter(both, adapter):
    import yaml

    from compass_trainer.harness import global_mmlu_template

    lm = both["lm-eval"]
    config = lm["configs"]["global_mmlu_full_sw"]
    real = yaml.safe_load(global_mmlu_template("sw").read_text(encoding="utf-8"))
    for key in ("doc_to_text", "doc_to_choice", "doc_to_target", "output_type"):
        assert config[key] == real[key]
    assert [m["metric"] for m in config["metric_list"]] == ["acc"]
    assert config["dataset_path"] == "json" and config["num_fewshot"] == 0
    assert f"peft={adapter.resolve()}" in json.dumps(lm["config"]["model_args"]) or lm["config"]["model_args"]["peft"] == str(adapter.resolve())
    assert lm["models"]["global_mmlu_full_sw"] == f"peft={adapter.resolve()}"


def test_simple_evaluate_called_directly_gives_the_clis_figures(tiny_base, adapter, both, tmp_path):
    from lm_eval.tasks import TaskManager

    from compass_trainer.harness import write_local_task

    write_local_task(EvalTask("global-mmlu", "sw"), str(FIXTURE), tmp_path)
    out = lm_eval.simple_evaluate(model="hf", model_args={"pretrained": str(tiny_base), "peft": str(adapter), "dtype": "float32"},
                                  tasks=["global_mmlu_full_sw"], task_manager=TaskManager(include_path=str(tmp_path), include_defaults=False),
                                  device="cpu", batch_size=1)  # fmt: skip
    assert out["results"]["global_mmlu_full_sw"]["acc,none"] == both["lm-eval"]["results"]["global_mmlu_full_sw"]["acc,none"]


def test_auto_picks_lm_eval_and_local_mmlu_prox_files_are_refused_by_lm_eval(tiny_base, tmp_path):
    rows = [{"question": "Q?", **{f"option_{i}": f"o{i}" for i in range(10)}, "answer": "A"}]
    prox = tmp_path / "prox.jsonl"
    prox.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    refused = runner.invoke(app, ["eval", "--base", str(tiny_base), "--language", "mmlu_prox_sw", "--data-files", str(prox), "--harness", "lm-eval"])
    assert refused.exit_code == 2 and "generative" in refused.stderr
    fallback = runner.invoke(app, ["eval", "--base", str(tiny_base), "--language", "mmlu_prox_sw", "--data-files", str(prox), "--json"])
    assert fallback.exit_code == 0, fallback.output
    assert json.loads(fallback.stdout)["harness"] == "offline" and "offline scorer: lm-eval's mmlu_prox tasks are generative" in fallback.stderr
    auto = runner.invoke(app, ["eval", "--base", str(tiny_base), "--language", "sw", "--data-files", str(FIXTURE), "--limit", "4", "--json"])
    assert auto.exit_code == 0, auto.output
    assert json.loads(auto.stdout)["harness"] == "lm-eval" and json.loads(auto.stdout)["n-samples"]["global_mmlu_full_sw"]["effective"] == 4


def test_context_is_lm_evals_global_mmlu_template():
    from jinja2 import Template
    import yaml

    from compass_trainer.harness import global_mmlu_template

    real = yaml.safe_load(global_mmlu_template("sw").read_text(encoding="utf-8"))
    context, letters = prompt_for(ROW, "global-mmlu")
    assert context == Template(real["doc_to_text"], keep_trailing_newline=True).render(**ROW)
    assert list(letters) == real["doc_to_choice"]


def test_loglikelihood_sums_each_continuation_token_given_its_prefix(tiny_base):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_base).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    context, _ = prompt_for(ROW, "global-mmlu")
    whole = tokenizer(context + " C")["input_ids"]
    start = len(tokenizer(context)["input_ids"])
    expected = 0.0
    with torch.no_grad():
        for position in range(start, len(whole)):  # one forward pass per prefix: an independent computation
            logits = model(input_ids=torch.tensor([whole[:position]])).logits[0, -1]
            expected += float(torch.log_softmax(logits.float(), dim=-1)[whole[position]])
        assert loglikelihood(model, tokenizer, context, " C") == pytest.approx(expected, abs=1e-4)
