using System.Globalization;
using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary>One finished two-seed sweep (two epochs per cell) shared by the export tests.</summary>
public sealed class FinishedSweep : IDisposable
{
    public FinishedSweep()
    {
        var run = ProcessRunner.MselabIn(Folder.Directory, "sweep", "run", Folder.File);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"sweep run failed ({run.ExitCode}): {run.StandardError}");
        }
    }

    public SweepFolder Folder { get; } = new();

    public void Dispose() => Folder.Dispose();
}

/// <summary><c>mselab results --epochs</c>, <c>--out</c> and <c>--format parquet</c>, checked against the store and an independent reader.</summary>
public sealed class ResultsExportTests(FinishedSweep sweep) : IClassFixture<FinishedSweep>
{
    private static readonly string[] EpochColumns = ["sweep", "key", "backbone", "dataset", "seed", "lr", "epoch", "train_loss", "learning_rate"];

    [Fact]
    public void Epochs_Json_OneRowPerCellAndEpochWithTheStoredValues()
    {
        var json = ProcessRunner.MselabIn(sweep.Folder.Directory, "results", "--epochs", "--sweep", sweep.Folder.Name, "--format", "json");

        Assert.True(json.ExitCode == 0, json.StandardError);
        using var document = JsonDocument.Parse(json.StandardOutput);
        var rows = document.RootElement.EnumerateArray().ToList();
        var trials = sweep.Folder.Trials();
        var expected = trials.SelectMany(t => sweep.Folder.Epochs(t.Key).Select(e => (Trial: t, Epoch: e))).ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected.Count, rows.Count);
        foreach (var (trial, epoch) in expected)
        {
            var row = Assert.Single(rows, r => r.GetProperty("key").GetString() == trial.Key && r.GetProperty("epoch").GetInt32() == epoch.Epoch);
            Assert.Equal(EpochColumns, row.EnumerateObject().Select(p => p.Name).Take(EpochColumns.Length));
            Assert.Equal((trial.SweepId, trial.Backbone, trial.Dataset, trial.Seed), (row.GetProperty("sweep").GetString(), row.GetProperty("backbone").GetString(), row.GetProperty("dataset").GetString(), row.GetProperty("seed").GetInt32()));
            Assert.Equal(trial.LearningRate, row.GetProperty("lr").GetDouble());
            Assert.Equal(epoch.TrainLoss, row.GetProperty("train_loss").GetDouble());
            Assert.Equal(epoch.LearningRate, row.GetProperty("learning_rate").GetDouble());
            Assert.NotEmpty(epoch.Validation);
            foreach (var (name, value) in epoch.Validation)
            {
                // JSON has no NaN (a correlation over constant predictions): null stands for it.
                var cell = row.GetProperty("valid_" + name);
                Assert.Equal(double.IsFinite(value) ? value : (double?)null, cell.ValueKind == JsonValueKind.Null ? null : cell.GetDouble());
            }
        }
    }

    [Fact]
    public void Epochs_CsvToFileAndTable_SameRowsAsJson()
    {
        var csvPath = Path.Combine(sweep.Folder.Directory, "epochs.csv");

        var csv = ProcessRunner.MselabIn(sweep.Folder.Directory, "results", "--epochs", "--format", "csv", "--out", csvPath);
        var table = ProcessRunner.MselabIn(sweep.Folder.Directory, "results", "--epochs");

        Assert.True(csv.ExitCode == 0, csv.StandardError);
        Assert.Equal("", csv.StandardOutput);
        var lines = File.ReadAllLines(csvPath);
        Assert.StartsWith(string.Join(",", EpochColumns) + ",valid_", lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + 4, lines.Length);
        var header = lines[0].Split(',');
        var first = sweep.Folder.Trials()[0];
        var firstEpoch = sweep.Folder.Epochs(first.Key)[0];
        var cells = lines.Skip(1).Select(l => l.Split(',')).Single(c => c[1] == first.Key && c[6] == firstEpoch.Epoch.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(firstEpoch.TrainLoss, double.Parse(cells[Array.IndexOf(header, "train_loss")], CultureInfo.InvariantCulture));
        Assert.True(table.ExitCode == 0, table.StandardError);
        Assert.Contains("train_loss", table.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(first.Key[..12], table.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Epochs_Parquet_IndependentReaderSeesTypedColumnsAndStoredValues()
    {
        var path = Path.Combine(sweep.Folder.Directory, "epochs.parquet");

        var export = ProcessRunner.MselabIn(sweep.Folder.Directory, "results", "--epochs", "--format", "parquet", "--out", path);

        Assert.True(export.ExitCode == 0, export.StandardError);
        using var file = TestTools.ReadParquet(path);
        Assert.Equal(4, file.RootElement.GetProperty("rows_in_metadata").GetInt32());
        foreach (var name in new[] { "sweep", "key", "backbone", "dataset" })
        {
            AssertColumn(file, name, "BYTE_ARRAY", "REQUIRED", "STRING");
        }

        AssertColumn(file, "seed", "INT32", "REQUIRED", "INTEGER");
        AssertColumn(file, "epoch", "INT32", "REQUIRED", "INTEGER");
        foreach (var name in new[] { "lr", "train_loss", "learning_rate", "valid_mae" })
        {
            AssertColumn(file, name, "DOUBLE", "OPTIONAL", null);
        }

        var rows = file.RootElement.GetProperty("rows").EnumerateArray().ToList();
        foreach (var trial in sweep.Folder.Trials())
        {
            foreach (var epoch in sweep.Folder.Epochs(trial.Key))
            {
                var row = Assert.Single(rows, r => r.GetProperty("key").GetString() == trial.Key && r.GetProperty("epoch").GetInt32() == epoch.Epoch);
                Assert.Equal(trial.Seed, row.GetProperty("seed").GetInt32());
                Assert.Equal(epoch.TrainLoss, row.GetProperty("train_loss").GetDouble());
                Assert.Equal(epoch.Validation["mae"], row.GetProperty("valid_mae").GetDouble());
            }
        }
    }

    [Fact]
    public void Leaderboard_ParquetBySeed_TypedCountsMeansAndNullStd()
    {
        var path = Path.Combine(sweep.Folder.Directory, "board.parquet");

        var export = ProcessRunner.MselabIn(sweep.Folder.Directory, "results", "--group-by", "seed", "--format", "parquet", "--out", path);

        Assert.True(export.ExitCode == 0, export.StandardError);
        using var file = TestTools.ReadParquet(path);
        AssertColumn(file, "seed", "BYTE_ARRAY", "REQUIRED", "STRING");
        AssertColumn(file, "n", "INT32", "REQUIRED", "INTEGER");
        AssertColumn(file, "mae_mean", "DOUBLE", "OPTIONAL", null);
        AssertColumn(file, "mae_std", "DOUBLE", "OPTIONAL", null);
        var rows = file.RootElement.GetProperty("rows").EnumerateArray().ToList();
        var trials = sweep.Folder.Trials();
        Assert.Equal(trials.Count, rows.Count);
        foreach (var trial in trials)
        {
            var row = Assert.Single(rows, r => r.GetProperty("seed").GetString() == trial.Seed.ToString(CultureInfo.InvariantCulture));
            Assert.Equal(1, row.GetProperty("n").GetInt32());
            Assert.Equal(trial.Test["mae"], row.GetProperty("mae_mean").GetDouble());
            Assert.Equal(JsonValueKind.Null, row.GetProperty("mae_std").ValueKind);
        }
    }

    [Fact]
    public void Leaderboard_JsonOut_SameTextAsPrinted()
    {
        var path = Path.Combine(sweep.Folder.Directory, "board.json");

        var printed = ProcessRunner.MselabIn(sweep.Folder.Directory, "results", "--format", "json");
        var written = ProcessRunner.MselabIn(sweep.Folder.Directory, "results", "--format", "json", "--out", path);

        Assert.True(written.ExitCode == 0, written.StandardError);
        Assert.Equal(printed.StandardOutput, File.ReadAllText(path));
        Assert.Contains(path, written.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--format parquet", "--out FILE")]
    [InlineData("--out x.csv", "--format csv")]
    [InlineData("--epochs --group-by seed", "--group-by")]
    public void Results_BadExportOptions_ExitTwoNamingTheFix(string options, string named)
    {
        var run = ProcessRunner.MselabIn(sweep.Folder.Directory, ["results", .. options.Split(' ')]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.StandardError, StringComparison.Ordinal);
    }

    private static void AssertColumn(JsonDocument file, string name, string type, string repetition, string? logical)
    {
        var column = TestTools.ParquetColumn(file, name);
        Assert.Equal((type, repetition, logical), (column.GetProperty("type").GetString(), column.GetProperty("repetition").GetString(),
            column.GetProperty("logical").ValueKind == JsonValueKind.Null ? null : column.GetProperty("logical").GetString()));
    }
}
