import numpy as np
import pytest

from compass_trainer.clustering import HDBSCANClusterer, KMeansClusterer
from compass_trainer.selection import CompassSelector, Corpus, SelectionConfig, get_selector
from compass_trainer.selection.math import (
    boundary_scores,
    cluster_weights,
    interpolated_scores,
    js_divergence,
    quotas_largest_remainder,
    quotas_stochastic,
)

from .synthetic import CENTRES, mixture, points


def kmeans5():
    return KMeansClusterer(n_clusters=5, n_init=3, random_state=0)


def select(variant="S", seed=0, **config):
    target, usage, pool, pool_labels = mixture(seed=seed)
    selector = CompassSelector(SelectionConfig(variant=variant, **config), clusterer=kmeans5(), random_state=seed)
    selection = selector.fit(target, usage, pool).select()
    return selector, selection, pool_labels


# ---- the pure math


def test_cluster_weights_follow_usage_over_training_density():
    w = cluster_weights(np.array([40, 40, 2, 0]), np.array([20, 20, 20, 0]), epsilon=1.0)
    assert w.sum() == pytest.approx(1.0)
    assert w[2] > 0.8 and w[3] == 0.0  # thin cluster dominates; no usage, no weight
    assert np.all(cluster_weights(np.array([1, 2]), np.array([0, 0])) == 0)


@pytest.mark.parametrize("total", [0, 1, 7, 80, 1001])
def test_quotas_sum_to_the_budget_exactly(total):
    w = np.array([0.5, 0.3, 0.15, 0.05, 0.0])
    for seed in range(20):
        q = quotas_stochastic(w, total, np.random.default_rng(seed))
        assert q.sum() == total and q[4] == 0 and (q >= 0).all()
    assert quotas_largest_remainder(w, total).sum() == total


def test_stochastic_quotas_are_unbiased():
    w = np.array([0.55, 0.3, 0.15])
    mean = np.mean([quotas_stochastic(w, 9, np.random.default_rng(s)) for s in range(3000)], axis=0)
    assert mean == pytest.approx(w * 9, abs=0.08)


def test_boundary_scores_favour_small_margins():
    s = boundary_scores(np.array([0.1, 0.5, 0.9]))
    assert s.tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert boundary_scores(np.array([0.3, 0.3])).tolist() == [0.5, 0.5]
    assert interpolated_scores(np.array([1.0]), np.array([0.0]), 0.0)[0] == 1.0
    assert interpolated_scores(np.array([1.0]), np.array([0.0]), 1.0)[0] == 0.0


def test_js_divergence_properties():
    assert js_divergence(np.array([1, 2]), np.array([2, 4])) == pytest.approx(0.0)
    assert js_divergence(np.array([1, 0]), np.array([0, 1])) == pytest.approx(1.0)


# ---- selection on a mixture with one thin topic


@pytest.mark.parametrize("variant", ["S", "D"])
def test_the_thin_topic_receives_the_quota_and_the_budget_is_exact(variant):
    selector, selection, pool_labels = select(variant)
    assert len(selection) == round(0.8 * 162) == selector.budget_
    picked = np.bincount(pool_labels[selection.pool_indices], minlength=5)
    assert picked[4] == picked.max() and picked[4] >= 0.7 * len(selection)
    assert selection.report["js_after"] < selection.report["js_before"]


def test_no_example_is_taken_more_than_three_times_when_a_cluster_runs_short():
    target, usage, pool, pool_labels = mixture(pool=(100, 100, 100, 100, 10))
    selection = CompassSelector(SelectionConfig(variant="S"), clusterer=kmeans5()).fit(target, usage, pool).select()
    counts = np.array(list(selection.times_selected.values()))
    assert counts.max() <= 3
    assert len(selection) == round(0.8 * 162)  # the excess moved to clusters with room
    thin = np.flatnonzero(pool_labels == 4)
    assert sum(selection.times_selected.get(int(i), 0) for i in thin) == 30  # 10 candidates × 3


def test_repeated_picks_decay():
    target, usage, pool, pool_labels = mixture(pool=(100, 100, 100, 100, 10))
    selection = CompassSelector(SelectionConfig(variant="D"), clusterer=kmeans5()).fit(target, usage, pool).select()
    thin = [selection.times_selected.get(int(i), 0) for i in np.flatnonzero(pool_labels == 4)]
    assert thin == [3] * 10


def test_noise_is_never_sampled():
    rng = np.random.default_rng(3)
    target, usage, pool, _ = mixture(target=(30, 30, 30, 30, 2), pool=(60, 60, 60, 60, 60))
    scatter = rng.standard_normal((40, 16)).astype(np.float32)
    scatter /= np.linalg.norm(scatter, axis=1, keepdims=True)
    pool = Corpus(pool.examples + pool.examples[:40], np.concatenate([pool.embeddings, scatter]))
    selector = CompassSelector(SelectionConfig(), clusterer=HDBSCANClusterer(min_cluster_sizes=(10,), min_samples=(5,), pca_dims=None))
    selection = selector.fit(target, usage, pool).select()
    assert (selector.labels_pool_ == -1).any()
    assert (selector.labels_pool_[selection.pool_indices] >= 0).all()
    assert sum(row["n_aux"] for row in selection.report["clusters"]) == int((selector.labels_pool_ >= 0).sum())


def test_without_cluster_weights_every_cluster_gets_an_equal_quota():
    selector, selection, pool_labels = select("S", cluster_weights=False)
    assert np.bincount(pool_labels[selection.pool_indices], minlength=5).tolist() == [26] * 5  # 130 / 5 clusters


def test_without_sample_weights_picks_are_less_prototypical():
    _, weighted, _ = select("D")
    _, uniform, _ = select("S", sample_weights=False)
    selector = select("D")[0]
    X = selector.pool_embeddings_
    proto = lambda sel: np.mean(np.max(X[sel.pool_indices] @ selector.centroids_.T, axis=1))
    assert proto(weighted) > proto(uniform)


def test_the_diversity_penalty_spreads_picks_over_near_duplicates():
    # Ten exact copies of the thin topic's centre beside a looser cluster (σ = 0.2: most members are not τ-neighbours
    # of the centre). Without the penalty the copies score highest and fill the first picks.
    rng = np.random.default_rng(1)
    target, usage, pool, _ = mixture(target=(40, 40, 40, 40, 2), pool=(100, 100, 100, 100, 0))
    loose, _ = points([0, 0, 0, 0, 100], rng, sigma=0.2)
    dups = np.repeat(CENTRES[4:5], 10, axis=0)
    Xp = np.concatenate([pool.embeddings, loose, dups])
    pool = Corpus(pool.examples + pool.examples[:110], Xp.astype(np.float32))
    dup_ids = set(range(len(Xp) - 10, len(Xp)))

    def first_picks(delta):
        selector = CompassSelector(SelectionConfig(variant="D", delta=delta), clusterer=kmeans5()).fit(target, usage, pool)
        s = selector.select()
        thin = selector.labels_pool_[len(Xp) - 1]
        return [int(i) for i in s.pool_indices[s.clusters == thin][:5]]

    assert len(dup_ids.intersection(first_picks(0.0))) == 5
    assert len(dup_ids.intersection(first_picks(0.1))) <= 2


def test_select_before_fit_and_missing_embeddings_are_errors():
    with pytest.raises(RuntimeError, match="not fitted"):
        CompassSelector().select()
    target, usage, pool, _ = mixture()
    with pytest.raises(ValueError, match="needs one embedding per example"):
        CompassSelector().fit(target, usage, Corpus(pool.examples, None))


@pytest.mark.parametrize("name", ["target", "all", "random"])
def test_baselines_share_the_interface(name):
    target, usage, pool, _ = mixture()
    selection = get_selector(name).fit_select(target, usage, pool)
    assert len(selection) == {"target": 0, "all": len(pool), "random": round(0.8 * len(target))}[name]
    assert len(set(selection.pool_indices.tolist())) == len(selection)
