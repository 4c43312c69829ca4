"""The offline scorer scores as lm-evaluation-harness scores ``global_mmlu_full_<lang>``: same context, same
continuations, summed log-likelihood, argmax → acc."""

import pytest

from compass_trainer.evaluate import loglikelihood, prompt_for

# lm-eval 0.4.13, lm_eval/tasks/global_mmlu/full/sw/_sw_template_yaml (doc_to_text, doc_to_choice).
LM_EVAL_DOC_TO_TEXT = "{{question.strip()}}\nA. {{option_a}}\nB. {{option_b}}\nC. {{option_c}}\nD. {{option_d}}\nAnswer:"
LM_EVAL_CHOICES = ["A", "B", "C", "D"]
ROW = {"question": "  Mvua hunyesha lini?\n", "option_a": "asubuhi", "option_b": "mchana", "option_c": "jioni", "option_d": "usiku", "answer": "C"}


def test_context_is_lm_evals_global_mmlu_template():
    from jinja2 import Template

    context, letters = prompt_for(ROW, "global-mmlu")
    assert context == Template(LM_EVAL_DOC_TO_TEXT, keep_trailing_newline=True).render(**ROW)
    assert list(letters) == LM_EVAL_CHOICES


def test_loglikelihood_sums_each_continuation_token_given_its_prefix(tiny_base):
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    model = AutoModelForCausalLM.from_pretrained(tiny_base).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_base)
    context, _ = prompt_for(ROW, "global-mmlu")
    whole = tokenizer(context + " C", add_special_tokens=False)["input_ids"]
    start = len(tokenizer(context, add_special_tokens=False)["input_ids"])
    expected = 0.0
    with torch.no_grad():
        for position in range(start, len(whole)):  # one forward pass per prefix: an independent computation
            logits = model(input_ids=torch.tensor([whole[:position]])).logits[0, -1]
            expected += float(torch.log_softmax(logits.float(), dim=-1)[whole[position]])
        assert loglikelihood(model, tokenizer, context, " C") == pytest.approx(expected, abs=1e-4)
