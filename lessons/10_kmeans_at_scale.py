# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: nbgrader,slideshow,tags
#     notebook_metadata_filter: kernelspec
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] slideshow={"slide_type": "slide"}
# # 10 · K-Means at scale: K-Means|| on a distributed engine (大规模 K均值聚类)
#
# Lesson 02 built K-Means clustering (K均值聚类) and its seedings on data that fits in memory.
# Here the data grows: first too big for *one pass per centre*, then too big for memory, then
# too big for one machine. The same algorithms answer each step: **K-Means||** seeds in a few
# passes, **Mini-Batch K-Means** (小批量 K均值) streams chunks from disk, and **Dask** runs
# K-Means|| on many workers.
#
# **In this notebook you will**
#
# - count why K-Means++ seeding needs K passes over the data, one after another, and K-Means||
#   only a few rounds;
# - fit Mini-Batch K-Means with `partial_fit` on a file read chunk by chunk (bounded memory);
# - start a Dask cluster from the notebook, build a half-million-row array of digit features, and fit
#   `dask_ml.cluster.KMeans(init='k-means||')` on it;
# - compare its centres, inertia (簇内平方和) and passes with our `lessons_src` K-Means|| and scikit-learn on
#   a sample, and see what changes on a real multi-machine cluster (one address).
#
# Dask, distributed and dask-ml come with the collection's requirements (`make lab` installs
# them).

# %% slideshow={"slide_type": "subslide"}
from lessons_src.preamble import *
import os
import shutil
import tempfile

from sklearn.cluster import KMeans as SklearnKMeans, MiniBatchKMeans
from sklearn.decomposition import PCA

from lessons_src import figures, kmeans, scale
from lessons_src.datasets import load_digits_images
from lessons_src.timing import median_seconds, peak_bytes
from lessons_src.widgets import interactive_figure, int_slider, float_slider

# Every file this lesson writes (and Dask's scratch space) goes here; removed at the end.
WORK_DIR = tempfile.mkdtemp(prefix="lesson10-")

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 1. Why K-Means++ does not scale
#
# K-Means++ (lesson 02) draws each next centre with probability proportional to $D(x)^2$, the
# squared distance from $x$ to the nearest centre chosen so far. After every pick, $D(x)^2$
# changes for every point, so **each of the K picks needs a full pass over the data, and pass
# $j+1$ cannot start before pick $j$ is known**. In memory a pass over 1797 digits takes
# microseconds; on a cluster a pass over a terabyte is a distributed job of seconds to
# minutes. K = 1000 centres means 1000 such jobs, one after another.
#
# **K-Means|| (可扩展 K-Means++, Bahmani et al. 2012)** changes the sampling: in each *round*,
# every point is kept **independently** with probability $\min(1, \ell\, D(x)^2 / \sum D^2)$,
# with $\ell \approx 2K$. All points decide at once, in one pass, so a round parallelises
# perfectly. After a few rounds (5 here) there are a few dozen candidates; one more pass counts
# how many points each candidate stands for (its weight), and a weighted K-Means++ on the
# candidates, in memory, keeps K of them. Look at the right-hand column: it does not grow with K.

# %%
for n_clusters in [10, 100, 1000]:
    print(f"K = {n_clusters:4d}:  K-Means++ {figures.scale.kmeanspp_passes(n_clusters):4d} passes,  "
          f"K-Means|| (5 rounds) {figures.scale.kmeans_parallel_passes(5)} passes")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The picture on 600 points in six blobs. Left: the K-Means++ centres in the order drawn, one
# pass each. Right: every K-Means|| candidate, coloured by its round and sized by its weight;
# the circled ones are the K kept. Look how the first rounds already reach every blob.

# %%
drawn = figures.scale.draw_seeding_passes(n_clusters=6, n_rounds=3, oversampling_factor=2.0,
                                          random_state=SEED)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# Try it: with more rounds or a larger oversampling factor $\ell / K$ there are more candidates
# (and passes); with very few, some blobs may get no candidate. K = 1 needs one pass either way.

# %% tags=["nbval-ignore-output"]
interactive_figure(
    figures.scale.draw_seeding_passes,
    n_clusters=int_slider(1, 12, 6, description="K"),
    n_rounds=int_slider(1, 8, 3, description="rounds"),
    oversampling_factor=float_slider(0.2, 5.0, 2.0, step=0.2, description="ℓ / K"),
    random_state=int_slider(0, 20, SEED, description="seed"),
)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Fewer passes would be useless if the seeds were much worse. On the 1797 digits (pixels scaled
# to [0, 1]) we run Lloyd's iterations from each seeding with 10 different seeds, using our
# `lessons_src.kmeans.KMeans`, and compare the final inertia: look at the worst run of each.

# %% slideshow={"slide_type": "subslide"}
digit_images, _ = load_digits_images()
digits = digit_images.reshape(len(digit_images), -1) / 16  # (1797, 64), ink in [0, 1]

seeded = {}
for init in ["random", "k-means++", "k-means||"]:
    seeded[init] = [kmeans.KMeans(n_clusters=10, init=init, n_init=1, random_state=seed)
                    .fit(digits).inertia_ for seed in range(10)]
    print(f"{init:10s} final inertia: mean {np.mean(seeded[init]):7.1f}, "
          f"worst {np.max(seeded[init]):7.1f}")
mean = {init: np.mean(inertias) for init, inertias in seeded.items()}
worst = {init: np.max(inertias) for init, inertias in seeded.items()}


def share_of_gain(summary):
    """The part of K-Means++'s gain over random seeds that K-Means|| also gets."""
    return (summary["random"] - summary["k-means||"]) / (summary["random"] - summary["k-means++"])


spread = max(mean.values()) / min(mean.values()) - 1
print(f"spread of the means: {spread:.1%}")
print(f"K-Means|| gets {share_of_gain(mean):.0%} of K-Means++'s gain in the mean, "
      f"{share_of_gain(worst):.0%} of its gain in the worst run")
assert spread < 0.02
assert mean["k-means++"] < mean["k-means||"] < mean["random"]
assert worst["k-means++"] < worst["k-means||"] < worst["random"]
assert share_of_gain(mean) < 0.3 and 0.3 < share_of_gain(worst) < 0.7

# %% [markdown] slideshow={"slide_type": "fragment"}
# All three end within 2 % of each other on average: seeding changes the typical run little.
# What it changes more is the *worst* run. K-Means|| here gets only a small part of
# K-Means++'s gain in the mean, and about half of its gain in the worst run (the cell prints
# both), with 7 passes instead of 10, and still 7 instead of 1000 when K = 1000. It is a
# cheaper seeding, not a free one: on a cluster, fewer passes can be worth a slightly worse start.

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 2. Out of core: Mini-Batch K-Means on chunks from disk (小批量 K-Means)
#
# When the data does not fit in memory, read it in chunks. **Mini-Batch K-Means** (Sculley
# 2010) updates the centres from one batch at a time: each centre moves toward the mean of its
# points in the batch, with a step that shrinks as the centre has seen more points.
# scikit-learn's `MiniBatchKMeans.partial_fit(chunk)` does exactly one such update, so a loop over
# chunks fits a model while only one chunk is in memory.
#
# The features from here on: the 16 leading principal components of the digits, from
# principal component analysis (PCA, 主成分分析, lesson 06). They keep most of the pixel
# variance in a quarter of the numbers, so every pass below is cheap enough for two cores.

# %%
pca = PCA(n_components=16, random_state=SEED).fit(digits)
digit_features = pca.transform(digits)  # (1797, 16)
print(f"16 components keep {pca.explained_variance_ratio_.sum():.0%} of the pixel variance")
assert pca.explained_variance_ratio_.sum() > 0.5  # most of it

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now a larger data set, written to disk: 224 noisy copies of every digit's features (Gaussian
# noise of standard deviation 0.3), 402 528 rows. `scale.write_noisy_copies` fills a
# memory-mapped `.npy` file one block at a time, so even writing it never holds it all.

# %%
NOISE = 0.3
features_path = os.path.join(WORK_DIR, "digit_features.npy")
n_rows, n_features = scale.write_noisy_copies(features_path, digit_features, n_blocks=8,
                                              copies_per_block=28, noise=NOISE,
                                              random_state=SEED)
file_bytes = os.path.getsize(features_path)
print(f"{n_rows:,} rows x {n_features} features on disk: {file_bytes / 2**20:.1f} MB")

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the stream: chunks of 25 000 rows, one `partial_fit` each. After every chunk we score the
# model on held-out rows that are not in the file (block 10 000 of the same recipe; the file
# holds blocks 0-7), and `timing.peak_bytes` records the most memory NumPy held at any moment.

# %% slideshow={"slide_type": "subslide"}
CHUNK_ROWS = 25_000
held_out = scale.noisy_copies_block(digit_features, 10_000, 2, NOISE, SEED)  # not in the file

stream_model = MiniBatchKMeans(n_clusters=10, n_init=1, random_state=SEED)
rows_seen, held_out_scores = [], []


def stream():
    for chunk in scale.iter_row_chunks(features_path, CHUNK_ROWS):
        stream_model.partial_fit(chunk)
        rows_seen.append((rows_seen[-1] if rows_seen else 0) + len(chunk))
        held_out_scores.append(-stream_model.score(held_out) / len(held_out))


streaming_peak = peak_bytes(stream)
print(f"{len(rows_seen)} chunks of up to {CHUNK_ROWS:,} rows "
      f"({CHUNK_ROWS * n_features * 8 / 2**20:.1f} MB each) read from a "
      f"{file_bytes / 2**20:.1f} MB file")
print("peak memory while streaming below a quarter of the file:", streaming_peak < file_bytes / 4)
assert streaming_peak < file_bytes / 4

# %% [markdown] slideshow={"slide_type": "fragment"}
# How good is the streamed model? The dashed line is ordinary K-Means (scikit-learn) fitted in
# memory on a 20 000-row sample of the file. The stream improves fast over the first chunks, then
# flattens a few percent above it (the cell checks: less than 10 %). Mini-Batch trades a little
# quality for memory that does not grow with the data.

# %%
on_disk = np.load(features_path, mmap_mode="r")
sample_rows = np.sort(np.random.default_rng(SEED).choice(n_rows, size=20_000, replace=False))
in_memory_model = SklearnKMeans(n_clusters=10, n_init=1, random_state=SEED).fit(on_disk[sample_rows])
in_memory_score = -in_memory_model.score(held_out) / len(held_out)
del on_disk

_ = figures.scale.plot_streaming_progress(rows_seen, held_out_scores, reference=in_memory_score)
plt.show()
print(f"held-out inertia per point: streamed {held_out_scores[-1]:.3f}, "
      f"in-memory sample {in_memory_score:.3f}")
assert held_out_scores[-1] < held_out_scores[0]  # the stream improves
assert in_memory_score < held_out_scores[-1] < 1.1 * in_memory_score  # a few percent above

# %% [markdown] slideshow={"slide_type": "slide"}
# ## 3. K-Means|| on Dask, a real distributed engine
#
# **Dask** splits an array into NumPy *chunks* and a computation into *tasks* (one per chunk
# and step); a *scheduler* hands the tasks to *workers*, which keep their chunks in memory.
# `LocalCluster` starts a scheduler and two workers on this machine (we have two cores). Here
# the workers are threads of the notebook's process (`processes=False`): on one machine that
# saves starting and feeding two more Python processes, each of which would import
# scikit-learn and dask-ml again before holding any data (the README's benchmark table
# measures it); on a real cluster each worker is a process on its own machine, and the code
# below does not change. The dashboard link opens a
# live view of the workers and the task stream (仪表盘); its port changes every run.
#
# The scratch space and the logging are set first: Dask's temporary folder goes into our
# temporary folder (so nothing appears in the working tree) and only errors are logged.

# %% tags=["nbval-ignore-output"]
os.environ["DASK_TEMPORARY_DIRECTORY"] = WORK_DIR
import dask
dask.config.set({"temporary-directory": WORK_DIR, "logging.distributed": "error"})
from dask.distributed import Client, LocalCluster, get_task_stream, progress, wait
from dask_ml.cluster import KMeans as DaskKMeans

cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                       dashboard_address=":0")
client = Client(cluster)
print("workers:", len(client.scheduler_info()["workers"]))
print("dashboard:", client.dashboard_link)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The data: 280 noisy copies of every digit's 16 features, **503 160 rows**. Each chunk is
# *made on a worker* from the 1797 digits' features and a seed (`scale.noisy_copies_dask`), so
# nothing big travels from the notebook; on a real cluster the chunks would be read from shared
# storage instead (`dask.array.from_zarr`, `dask.dataframe.read_parquet`, ...). So far nothing
# is computed: the array is a recipe. Three choices size the memory the workers need (here
# they live in the notebook's own process, which a whole class may share one server with):
#
# - **half a million rows**: every pass below is a real distributed job over 8 chunks, and the
#   code does not change for billions of rows on a real cluster;
# - **float32** (4 bytes a number) instead of float64: half the memory, and seven significant
#   digits are plenty for features that carry noise of 0.3;
# - **8 chunks** of 62 895 rows. Every task costs the scheduler a little time, so not too many
#   chunks; but a task's temporaries (the distances from its rows to every candidate centre)
#   grow with its chunk, so not too few either.

# %%
X_big = scale.noisy_copies_dask(digit_features, n_blocks=8, copies_per_block=35, noise=NOISE,
                                random_state=SEED, dtype=np.float32)
print(f"{X_big.shape[0]:,} rows x {X_big.shape[1]} features, {X_big.dtype}, "
      f"{X_big.nbytes / 2**20:.0f} MB, {X_big.numblocks[0]} chunks of {X_big.chunks[0][0]:,} rows")

# %% [markdown] slideshow={"slide_type": "fragment"}
# `persist()` computes the chunks and keeps them in the workers' memory; `progress` shows the
# tasks as they finish (a bar in Jupyter).

# %% tags=["nbval-ignore-output"]
X_big = X_big.persist()
progress(X_big)

# %% [markdown] slideshow={"slide_type": "subslide"}
# Now the fit. `dask_ml.cluster.KMeans` seeds with K-Means|| and runs Lloyd's iterations, each
# a few tasks per chunk. Two of its parameters differ from ours: its `oversampling_factor` is
# $\ell$ itself (ours is $\ell / K$), so $\ell = 2K = 20$ is `oversampling_factor=20`; and it
# runs $\mathrm{round}(\ln \varphi)$ seeding rounds by default ($\varphi$ = the cost of the first
# centre, about 15 rounds here), while Bahmani et al. found a few enough: `init_max_iter=2` is
# Spark MLlib's default (`initSteps=2`). On a cluster every Lloyd iteration is a few distributed
# passes, so one gives the fit a budget: `max_iter=20`, again Spark's default. We record the task
# stream while it runs.

# %% tags=["nbval-ignore-output"]
wait(X_big)
dask_model = DaskKMeans(n_clusters=10, init="k-means||", oversampling_factor=20,
                        init_max_iter=2, max_iter=20, random_state=SEED)
with get_task_stream(client) as task_stream:
    fit_seconds = median_seconds(lambda: dask_model.fit(X_big), repeat=1, warmup=False)
print(f"dask-ml K-Means|| + Lloyd on {X_big.shape[0]:,} rows: {fit_seconds:.1f} s "
      f"on 2 workers, {len(task_stream.data)} tasks")

# %% [markdown] slideshow={"slide_type": "fragment"}
# The result. We score it with our own one-pass `scale.chunked_inertia` (sum of squared
# distances to the nearest centre, computed chunk by chunk on the workers). Careful with
# dask-ml's own `inertia_`. Its Lloyd loop stops when the squared shift of the centres falls
# below `tol` (1e-4), or at `max_iter`; then, unless that last shift is also below 1e-7,
# dask-ml recomputes the distances *without squaring them*, so its `inertia_` is the sum of
# distances, not of squared distances. This fit converged within its budget of 20 iterations
# (the first line), but its last shift was not below 1e-7: the last line shows the mean
# distance where the inertia should be.

# %%
dask_inertia = scale.chunked_inertia(X_big, dask_model.cluster_centers_)
dask_distance_sum = scale.chunked_inertia(X_big, dask_model.cluster_centers_, squared=False)
print(f"Lloyd iterations: {dask_model.n_iter_}")
print(f"inertia per point (squared distances): {dask_inertia / X_big.shape[0]:.4f}")
print(f"dask-ml inertia_ per point: {dask_model.inertia_ / X_big.shape[0]:.4f}  "
      f"= mean distance {dask_distance_sum / X_big.shape[0]:.4f}")
assert dask_model.n_iter_ < dask_model.max_iter  # converged: last squared shift below tol
assert np.isclose(dask_model.inertia_, dask_distance_sum, rtol=1e-6)
assert not np.isclose(dask_model.inertia_, dask_inertia, rtol=1e-2)

# %% [markdown] slideshow={"slide_type": "subslide"}
# The task stream is what the dashboard draws live: one row per worker, one bar per task,
# coloured by what it does. Both workers stay busy. The first seconds are the seeding (distances
# to the candidates); the long "centre sums" bars early on are dask-ml's numba function being
# compiled on first use; then the Lloyd iterations repeat, each waiting for the previous one's
# centres. That wait, once per pass, is why passes are what costs on a cluster.

# %%
_ = figures.scale.plot_task_stream(task_stream.data)
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### How many passes did dask-ml make?
#
# We count them: the same fit on a small array whose chunks count their own reads
# (`scale.counted_dask_array`, run by Dask's in-process scheduler so the counter sees every
# read), once with 1 Lloyd iteration and once with 2. The difference is the cost of one
# iteration; the rest is the seeding (per round one sampling pass and one pass to gather the
# candidates), the input check and the final assignment. Chunk 0 is read once more than the
# others: it holds the first centre.

# %% slideshow={"slide_type": "subslide"}
X_small = scale.noisy_copies_block(digit_features, 0, 4, NOISE, SEED)  # 7188 rows
full_passes = {}
for max_iter in [1, 2]:
    X_counted, chunk_reads = scale.counted_dask_array(X_small, chunk_rows=1797)
    with dask.config.set(scheduler="synchronous"):
        DaskKMeans(n_clusters=10, init="k-means||", oversampling_factor=20, init_max_iter=2,
                   max_iter=max_iter, random_state=SEED).fit(X_counted)
    full_passes[max_iter] = chunk_reads.full_passes
    print(f"max_iter={max_iter}: reads of each chunk {chunk_reads.reads}")
per_iteration = full_passes[2] - full_passes[1]
seeding_and_checks = full_passes[1] - per_iteration
dask_passes = seeding_and_checks + per_iteration * dask_model.n_iter_
print(f"seeding and checks: {seeding_and_checks} passes, each Lloyd iteration: {per_iteration}")
print(f"so the big fit made {seeding_and_checks} + {per_iteration} x {dask_model.n_iter_} = "
      f"{dask_passes} passes over {X_big.shape[0]:,} rows")

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### The same clustering three ways
#
# We draw a 25 000-row sample (5 %) from the big array and fit, in memory, our from-scratch K-Means
# seeded by our K-Means|| with the same 2 rounds and $\ell = 2K$ (`kmeans.init_kmeans_parallel`,
# which also weights the candidates, a step dask-ml skips), and scikit-learn's K-Means++. Then all three sets of centres are scored on **all**
# the rows (one more distributed pass each), and paired cluster by cluster
# (`scale.match_centers`, the Hungarian algorithm) to see how far apart they are.

# %%
sample_index = np.sort(np.random.default_rng(SEED).choice(X_big.shape[0], size=25_000,
                                                           replace=False))
X_sample = X_big[sample_index].compute()
our_seeding = kmeans.init_kmeans_parallel(X_sample, 10, oversampling_factor=2, n_rounds=2,
                                          random_state=SEED)
ours = kmeans.KMeans(n_clusters=10, init=our_seeding.centers, random_state=SEED).fit(X_sample)
sklearn_model = SklearnKMeans(n_clusters=10, init="k-means++", n_init=1,
                              random_state=SEED).fit(X_sample)
print(f"sample: {X_sample.shape[0]:,} rows; our K-Means||: {len(our_seeding.candidates)} "
      f"candidates, {our_seeding.n_passes} passes")
print(f"Lloyd iterations: ours {ours.n_iter_}, scikit-learn {sklearn_model.n_iter_}")

# %% slideshow={"slide_type": "subslide"}
runs = {
    "dask-ml K-Means||, all rows": (dask_model.cluster_centers_, dask_passes),
    "lessons_src K-Means||, sample": (ours.cluster_centers_,
                                      our_seeding.n_passes + ours.n_iter_),
    "scikit-learn K-Means++, sample": (sklearn_model.cluster_centers_,
                                       figures.scale.kmeanspp_passes(10) + sklearn_model.n_iter_),
}
matched = {}
print(f"{'':31s} {'inertia/point':>13s} {'centres within 0.5':>18s} {'passes':>6s}")
close, per_point = {}, {}
for label, (centers, passes) in runs.items():
    order, gaps = scale.match_centers(dask_model.cluster_centers_, centers)
    matched[label] = centers[order]
    close[label] = int(np.sum(gaps < 0.5))
    per_point[label] = scale.chunked_inertia(X_big, centers) / X_big.shape[0]
    print(f"{label:31s} {per_point[label]:13.3f} {close[label]:15d}/10 {passes:6d}")
ours_label, dask_label = "lessons_src K-Means||, sample", "dask-ml K-Means||, all rows"
sklearn_label = "scikit-learn K-Means++, sample"
assert close[sklearn_label] == 10  # the same clustering as dask-ml's
assert abs(per_point[sklearn_label] - per_point[dask_label]) < 1e-3 * per_point[dask_label]
assert close[ours_label] == 9 and per_point[ours_label] > per_point[dask_label]  # a worse optimum

# %% [markdown] slideshow={"slide_type": "subslide"}
# Read the table with lesson 02 in mind: K-Means finds a *local* optimum, and which one depends
# on the seeds. dask-ml on all the rows and scikit-learn on a 5 % sample found the same
# clustering: all 10 centres pair up within 0.5 (small next to the noise, about 1.2 per point)
# and the inertia, measured on all the rows, agrees within 0.1 %. Our run started from other
# seeds and stopped in a neighbouring optimum: 9 of its 10 centres pair up, and the inertia says
# it is slightly worse. The passes
# column is what changes on a cluster: dask-ml's passes run over all the rows, the sample runs'
# over the sample, and the K-Means++ seeding part (10 passes) grows with K. The centres, mapped
# back to pixels with the PCA (`pca.inverse_transform`), row by row:

# %%
_ = figures.scale.plot_center_rows({label: pca.inverse_transform(centers)
                                    for label, centers in matched.items()})
plt.show()

# %% [markdown] slideshow={"slide_type": "subslide"}
# ### From this laptop to a real cluster
#
# On several machines, start one scheduler and any number of workers (`dask scheduler` on one
# machine, `dask worker tcp://scheduler:8786` on each of the others, or a Kubernetes / HPC / cloud
# launcher), then connect from the notebook by address. **That address is the only line that
# changes**; the array, the model and the fit stay as they are:
#
# ```python
# client = Client("tcp://scheduler:8786")   # instead of Client(LocalCluster(...))
# ```
#
# We can try the address form here: a second client connects to our scheduler by its address
# (printed by nothing, since the port changes) and sees the same two workers.

# %%
by_address = Client(cluster.scheduler_address, set_as_default=False)
print("workers seen through the address:", len(by_address.scheduler_info()["workers"]))
by_address.close()

# %% [markdown] slideshow={"slide_type": "fragment"}
# Close the cluster when done: it stops the workers and frees their memory. Then the temporary
# folder (the file of section 2 and Dask's scratch space) is removed.

# %%
client.close()
cluster.close()
print("cluster:", cluster.status.name)

# %%
shutil.rmtree(WORK_DIR, ignore_errors=True)
print("temporary folder removed:", not os.path.exists(WORK_DIR))


# %% [markdown] slideshow={"slide_type": "slide"}
# ## Exercises
#
# Each exercise asks for one function: write it in its cell, run that cell, then run the check
# below it. The check says "Correct", or what is wrong and on which test case. Stuck?
# `hint_streaming_inertia()` gives a nudge, `hint_streaming_inertia(2)` a stronger hint and
# `solution_streaming_inertia()` shows a solution (each exercise has its own three, named after
# it). Try before you ask: the checks' messages are written to help.

# %%
from lessons_src.exercises.scale import (
    check_expected_candidates, check_streaming_inertia, hint_expected_candidates,
    hint_streaming_inertia, solution_expected_candidates, solution_streaming_inertia)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 1: inertia in one streaming pass (warm-up).** Write
# `streaming_inertia(chunks, centers)`: the sum, over every row of every chunk, of the squared
# distance to its nearest centre, holding one chunk at a time. `chunks` may be a stream that can
# be read only once (a generator). This is how the three runs above were scored on all the rows.

# %% nbgrader={"grade": false, "grade_id": "10_streaming_inertia", "locked": false, "schema_version": 3, "solution": true, "task": false}
def streaming_inertia(chunks, centers):
    """Sum of squared distances to the nearest centre.

    chunks : iterable of arrays of shape (n_rows_i, n_features); centers : (K, n_features)
    """
    ### BEGIN SOLUTION
    total = 0.0
    for chunk in chunks:                       # one pass, one chunk in memory
        squared = ((chunk[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2)
        total += squared.min(axis=1).sum()
    return float(total)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "10_streaming_inertia_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_streaming_inertia(streaming_inertia), repr(check_streaming_inertia(streaming_inertia))
### END HIDDEN TESTS
check_streaming_inertia(streaming_inertia)

# %% [markdown] slideshow={"slide_type": "subslide"}
# **Exercise 2: how many candidates per round? (derive a number)** A K-Means‖ round keeps point
# $i$ independently with probability $\min(1, \ell\, D(x_i)^2 / \sum D^2)$: "about $\ell$" per
# round, said the lesson. Derive the exact expected number of points kept, and write
# `expected_candidates(closest_d2, l)` (`closest_d2`: every point's squared distance to its
# nearest candidate so far). When is it exactly $\ell$, and when is it less?

# %% nbgrader={"grade": false, "grade_id": "10_expected_candidates", "locked": false, "schema_version": 3, "solution": true, "task": false}
def expected_candidates(closest_d2, l):
    ### BEGIN SOLUTION
    probabilities = np.minimum(1.0, l * closest_d2 / closest_d2.sum())
    return float(probabilities.sum())             # the expectation of a sum of 0/1 variables
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "10_expected_candidates_check", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false}
### BEGIN HIDDEN TESTS
assert check_expected_candidates(expected_candidates), repr(check_expected_candidates(expected_candidates))
### END HIDDEN TESTS
check_expected_candidates(expected_candidates)

# %% [markdown] slideshow={"slide_type": "slide"}
# ## Summary
#
# - **K-Means++** needs K passes over the data, one after another: fine in memory, a
#   bottleneck on a cluster. **K-Means||** samples about $\ell = 2K$ candidates per round,
#   every point independently, so a handful of rounds (each one parallel pass) plus one weighting
#   pass replace them; on the digits the final inertia stays within 2 % on average, the
#   worst run a little worse than K-Means++'s.
# - **Out of core:** `MiniBatchKMeans.partial_fit` on chunks read from disk fits with one chunk
#   in memory; its centres come close to in-memory K-Means.
# - **Distributed:** a Dask array is many NumPy chunks on many workers; `dask_ml.cluster.KMeans`
#   runs K-Means|| and Lloyd as passes of tasks over the chunks (we counted them: 7 for the
#   seeding and checks, 3 per Lloyd iteration). It found the same clustering as scikit-learn on
#   a 5 % sample. Score every run with the same function: dask-ml's own `inertia_` is usually a
#   sum of distances, not squared distances.
# - The same code runs on a multi-machine cluster: only `Client("tcp://scheduler:8786")` changes.
#   Close the cluster at the end.
#
# Previous: [09 · Pixel clustering and segmentation](09_pixel_segmentation.ipynb) ·
# Next: [11 · NMF beyond the slides](11_nmf_beyond_the_slides.ipynb).
