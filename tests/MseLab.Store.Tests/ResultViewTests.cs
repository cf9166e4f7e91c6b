using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using MseLab.Experiments.Trials;
using MseLab.Store.Queries;
using MseLab.TestSupport;

namespace MseLab.Store.Tests;

/// <summary>
/// The SQL views (trial_results, epoch_metrics, seed_groups) read with raw SQL, on SQLite and on Postgres, against what the
/// store's own queries and the leaderboard give for the same store; and the SQLite file read by Python's sqlite3.
/// </summary>
public sealed class ResultViewTests
{
    private const double Tolerance = 1e-9;

    private static readonly string[] Views = ["epoch_metrics", "seed_groups", "trial_results"];

    // Each view in a fixed order (two SQLite builds may plan a bare SELECT differently).
    private static readonly Dictionary<string, string> Ordered = new(StringComparer.Ordinal)
    {
        ["epoch_metrics"] = "SELECT * FROM epoch_metrics ORDER BY sweep, trial_key, epoch",
        ["seed_groups"] = "SELECT * FROM seed_groups ORDER BY sweep, seed_group, metric",
        ["trial_results"] = "SELECT * FROM trial_results ORDER BY sweep, trial_key",
    };

    // The view's column and the resolved configuration's key (ResolvedTrial.CanonicalJson).
    private static readonly (string Column, string Key)[] Hyperparameters =
    [
        ("batch_size", "BatchSize"), ("eval_batch_size", "EvalBatchSize"), ("warm_up_epochs", "WarmUpEpochs"), ("early_stop", "EarlyStop"),
        ("pseudo_tokens", "PseudoTokens"), ("audio_hidden", "AudioHidden"), ("video_hidden", "VideoHidden"), ("text_length", "TextLength"),
        ("max_new_tokens", "MaxNewTokens"), ("adam_eps", "AdamEps"), ("weight_decay", "WeightDecay"),
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrialResults_FilledStore_OneRowPerTrialAsTheTrialQueryReadsIt(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        await ViewSeed.FillAsync(lab);
        var trials = await lab.Queries.TrialsAsync(null, cancellationToken: Ct);

        var rows = await SqlRows.ReadAsync(lab.Database, "SELECT * FROM trial_results");

        Assert.Equal(10, trials.Count);
        Assert.Equal(trials.Count, rows.Count);
        foreach (var trial in trials)
        {
            var row = Assert.Single(rows, r => r.Text("sweep") == trial.SweepId && r.Text("trial_key") == trial.Key);
            using var config = JsonDocument.Parse(trial.ResolvedConfig);
            var json = config.RootElement;
            Assert.Equal(
                (trial.SeedGroup, trial.Backbone, trial.Dataset, DatasetNames.Of(trial.Dataset)),
                (row.Text("seed_group"), row.Text("backbone"), row.Text("dataset"), row.Text("dataset_name")));
            Assert.Equal((json.GetProperty("BackboneFamily").GetString(), json.GetProperty("Task").GetString()), (row.Text("family"), row.Text("task")));
            Assert.Equal((trial.Seed, trial.LearningRate, trial.MaxEpochs), ((int?)row.Number("seed"), row.Number("lr"), (int?)row.Number("max_epochs")));
            foreach (var (column, key) in Hyperparameters)
            {
                AssertClose(json.GetProperty(key).GetDouble(), row.Number(column), $"{trial.Key} {column}");
            }

            Assert.Equal(json.TryGetProperty("Precision", out var precision) ? precision.GetString() : "fp32", row.Text("precision"));
            Assert.Equal(
                (trial.Status.ToString(), trial.Attempt, trial.Device, trial.Epoch),
                (row.Text("status"), (int?)row.Number("attempt"), row.Text("device"), (int?)row.Number("epoch")));
            Assert.Equal((trial.TrainLoss, trial.BestValidation), (row.Number("train_loss"), row.Number("best_valid")));
            Assert.Equal((trial.StartedAt, trial.FinishedAt), (row.Time("started_at"), row.Time("finished_at")));
            var stored = await lab.TrialAsync(trial.Key, trial.SweepId);   // the columns TrialRow does not carry
            Assert.Equal(
                (stored.BestEpoch, stored.StoppedBy, stored.Seconds, stored.Failures, stored.DeviceKind, stored.QueuedAt),
                ((int?)row.Number("best_epoch"), row.Text("stopped_by"), row.Number("seconds"), (int?)row.Number("failures"), row.Text("device_kind"), row.Time("queued_at")));
            foreach (var metric in FilterFields.MetricNames)
            {
                AssertClose(Finite(trial.Test, metric), row.Number("test_" + metric), $"{trial.Key} test_{metric}");
            }
        }

        // The awkward values are in the data, so that the NULLs above were checked.
        Assert.Contains(trials, t => t.Test.Values.Any(double.IsNaN));
        Assert.Contains(trials, t => t.Test.Values.Any(double.IsInfinity));
        Assert.Contains(rows, r => r.Text("precision") != "fp32");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task EpochMetrics_FilledStore_OneRowPerStoredEpochAsTheEpochQueriesReadIt(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        await ViewSeed.FillAsync(lab);
        var trials = (await lab.Queries.TrialsAsync(null, withTestMetrics: false, cancellationToken: Ct)).ToDictionary(t => (t.SweepId, t.Key));
        var epochs = await lab.Queries.EpochRowsAsync(null, cancellationToken: Ct);

        var rows = await SqlRows.ReadAsync(lab.Database, "SELECT * FROM epoch_metrics");

        Assert.Equal(19, epochs.Count);
        Assert.Equal(epochs.Count, rows.Count);
        foreach (var epoch in epochs)
        {
            var trial = trials[(epoch.SweepId, epoch.Key)];
            var report = (await lab.Queries.EpochsAsync(epoch.SweepId, epoch.Key, Ct)).Single(e => e.Epoch == epoch.Epoch);
            var attempt = (await lab.Queries.EpochAttemptsAsync(epoch.SweepId, epoch.Key, Ct))[epoch.Epoch];
            var row = Assert.Single(rows, r => r.Text("sweep") == epoch.SweepId && r.Text("trial_key") == epoch.Key && r.Number("epoch") == epoch.Epoch);
            using var config = JsonDocument.Parse(trial.ResolvedConfig);
            Assert.Equal(
                (trial.SeedGroup, epoch.Backbone, config.RootElement.GetProperty("BackboneFamily").GetString(), epoch.Dataset, DatasetNames.Of(epoch.Dataset)),
                (row.Text("seed_group"), row.Text("backbone"), row.Text("family"), row.Text("dataset"), row.Text("dataset_name")));
            Assert.Equal((epoch.Seed, epoch.LearningRate, attempt), ((int?)row.Number("seed"), row.Number("lr"), (int?)row.Number("attempt")));
            Assert.Equal(
                (epoch.TrainLoss, epoch.EpochLearningRate, report.Seconds, report.SamplesPerSecond),
                (row.Number("train_loss"), row.Number("learning_rate"), row.Number("seconds"), row.Number("samples_per_second")));
            foreach (var metric in FilterFields.MetricNames)
            {
                AssertClose(Finite(epoch.Validation, metric), row.Number("valid_" + metric), $"{epoch.Key} epoch {epoch.Epoch} valid_{metric}");
            }
        }

        Assert.Contains(epochs, e => e.Validation.Values.Any(double.IsNaN));
        Assert.Contains(epochs, e => e.Validation.Values.Any(double.IsInfinity));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SeedGroups_FilledStore_MeanStdAndNAsTheLeaderboardGives(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        await ViewSeed.FillAsync(lab);

        var rows = await SqlRows.ReadAsync(lab.Database, "SELECT * FROM seed_groups");

        await AssertSeedGroupsAsync(lab, rows);
    }

    [Fact]
    public async Task Views_SqliteFileReadByPythonSqlite3_SameRowsAndTheLeaderboardsNumbers()
    {
        await using var lab = await TempStore.CreateAsync();
        await ViewSeed.FillAsync(lab);
        var file = new SqliteConnectionStringBuilder(lab.Options.ConnectionString).DataSource;

        using var output = JsonDocument.Parse(ChildProcess.RunPython("views_reader.py", [file], input: JsonSerializer.Serialize(Ordered)));

        var python = Views.ToDictionary(v => v, v => output.RootElement.GetProperty(v).EnumerateArray().Select(FromJson).ToList());
        await AssertSeedGroupsAsync(lab, python["seed_groups"]);
        foreach (var view in Views)
        {
            var ours = await SqlRows.ReadAsync(lab.Database, Ordered[view]);
            Assert.Equal(ours.Count, python[view].Count);
            foreach (var (mine, theirs) in ours.Zip(python[view]))
            {
                Assert.Equal(mine.Keys, theirs.Keys);
                foreach (var column in mine.Keys)
                {
                    // Sums may differ in the last bit: SQLite 3.43 and later add up avg() with compensation.
                    if (mine[column] is string or null || theirs[column] is string or null)
                    {
                        Assert.Equal(mine[column], theirs[column]);
                    }
                    else
                    {
                        AssertClose(Number(mine[column]), Number(theirs[column]), $"{view}.{column}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Migrate_DownPastTheViewsAndUpAgain_DropsAndCreatesThemAndLeavesTheModelAlone(bool postgres)
    {
        await using var lab = await StoreAsync(postgres);
        await ViewSeed.FillAsync(lab);
        await using var db = lab.Database.CreateContext();
        var migrations = db.GetService<IMigrationsAssembly>().Migrations.Keys.Order(StringComparer.Ordinal).ToList();
        var before = migrations[migrations.FindIndex(m => m.EndsWith("_ResultViews", StringComparison.Ordinal)) - 1];
        Assert.Equal(Views, await ViewNamesAsync(lab, postgres));

        await db.GetService<IMigrator>().MigrateAsync(before, Ct);
        Assert.Empty(await ViewNamesAsync(lab, postgres));
        await lab.Database.MigrateAsync(Ct);

        Assert.Equal(Views, await ViewNamesAsync(lab, postgres));
        Assert.NotEmpty(await SqlRows.ReadAsync(lab.Database, "SELECT * FROM seed_groups"));
        Assert.False(db.Database.HasPendingModelChanges(), "The views migration must leave the EF model and its snapshot alone.");
    }

    [Fact]
    public async Task Views_EveryMetricAStoreKnows_HasAColumn()
    {
        await using var lab = await TempStore.CreateAsync();
        await ViewSeed.FillAsync(lab);

        var trial = (await SqlRows.ReadAsync(lab.Database, "SELECT * FROM trial_results LIMIT 1"))[0];
        var epoch = (await SqlRows.ReadAsync(lab.Database, "SELECT * FROM epoch_metrics LIMIT 1"))[0];

        // A metric added to MetricKeys needs a migration that adds its columns to the views.
        Assert.All(FilterFields.MetricNames, m => Assert.Contains("test_" + m, trial.Keys));
        Assert.All(FilterFields.MetricNames, m => Assert.Contains("valid_" + m, epoch.Keys));
    }

    private static Task<TempStore> StoreAsync(bool postgres) => postgres ? TempStore.CreatePostgresAsync() : TempStore.CreateAsync();

    private static async Task AssertSeedGroupsAsync(TempStore lab, List<Dictionary<string, object?>> rows)
    {
        var groups = await lab.Queries.LeaderboardAsync(null, groupBy: ["sweep", "seed_group"], cancellationToken: Ct);
        var trials = await lab.Queries.TrialsAsync(null, cancellationToken: Ct);

        Assert.Equal(4, groups.Count);
        Assert.Equal(groups.Sum(g => g.Metrics.Count), rows.Count);
        foreach (var group in groups)
        {
            var (sweep, seedGroup) = (group.Fields["sweep"], group.Fields["seed_group"]);
            var cells = trials.Where(t => t.SweepId == sweep && t.SeedGroup == seedGroup).ToList();
            using var config = JsonDocument.Parse(cells[0].ResolvedConfig);
            foreach (var (metric, summary) in group.Metrics)
            {
                var row = Assert.Single(rows, r => r.Text("sweep") == sweep && r.Text("seed_group") == seedGroup && r.Text("metric") == metric);
                var finite = cells.Count(t => t.Status == TrialStatus.Succeeded && t.Test.TryGetValue(metric, out var v) && double.IsFinite(v));
                Assert.Equal((group.N, group.Planned, finite), ((int?)row.Number("finished"), (int?)row.Number("planned"), (int?)row.Number("n")));
                AssertClose(double.IsNaN(summary.Mean) ? null : summary.Mean, row.Number("mean"), $"{seedGroup} {metric} mean");
                AssertClose(summary.Std, row.Number("std"), $"{seedGroup} {metric} std");
                AssertClose(summary.Std * summary.Std, row.Number("variance"), $"{seedGroup} {metric} variance");
                var family = config.RootElement.GetProperty("BackboneFamily").GetString();
                Assert.Equal(
                    (cells[0].Backbone, family, cells[0].Dataset, DatasetNames.Of(cells[0].Dataset), cells[0].LearningRate),
                    (row.Text("backbone"), row.Text("family"), row.Text("dataset"), row.Text("dataset_name"), row.Number("lr")));
            }
        }

        // The cases that matter are in the data: a value left out (NaN or infinite), one finished seed (no std), unfinished seeds.
        Assert.Contains(rows, r => r.Number("n") < r.Number("finished"));
        Assert.Contains(rows, r => r.Number("n") == 1 && r.Number("std") is null);
        Assert.Contains(rows, r => r.Number("planned") > r.Number("finished"));
        Assert.Contains(rows, r => r.Number("n") > 2 && r.Number("std") > 0);
    }

    private static async Task<List<string?>> ViewNamesAsync(TempStore lab, bool postgres) =>
        [.. (await SqlRows.ReadAsync(lab.Database, postgres
            ? "SELECT table_name::text AS name FROM information_schema.views WHERE table_schema = current_schema() ORDER BY 1"
            : "SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY 1")).Select(r => r.Text("name"))];

    private static double? Finite(IReadOnlyDictionary<string, double> metrics, string name) =>
        metrics.TryGetValue(name, out var value) && double.IsFinite(value) ? value : null;

    private static void AssertClose(double? expected, double? actual, string what)
    {
        if (expected is not { } e || actual is not { } a)
        {
            Assert.True(expected is null && actual is null, $"{what}: expected {expected?.ToString() ?? "NULL"}, read {actual?.ToString() ?? "NULL"}");
            return;
        }

        Assert.True(Math.Abs(e - a) <= Tolerance * Math.Max(1, Math.Abs(e)), $"{what}: expected {e:R}, read {a:R}");
    }

    private static Dictionary<string, object?> FromJson(JsonElement row) => row.EnumerateObject().ToDictionary(
        p => p.Name,
        p => p.Value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number => p.Value.GetDouble(),
            JsonValueKind.String => p.Value.GetString(),
            _ => (object?)p.Value.GetRawText(),
        },
        StringComparer.Ordinal);

    private static double Number(object? value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
}
