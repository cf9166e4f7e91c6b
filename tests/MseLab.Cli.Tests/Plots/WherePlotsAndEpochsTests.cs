using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Cli.Tests.Sweeps;

namespace MseLab.Cli.Tests.Plots;

/// <summary>
/// <c>--where</c> on <c>mselab results --epochs</c> and both plot commands, on the store a real two-seed, two-lr sweep wrote:
/// only the matching cells are read, and a bad filter is exit 2 with its position and writes no file.
/// </summary>
public sealed class WherePlotsAndEpochsTests
{
    [Fact]
    public void Where_OnEpochsAndPlots_KeepsOnlyTheMatchingCells()
    {
        using var folder = new SweepFolder(lr: "[5e-3, 1e-3]");
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);
        var trials = folder.Trials();
        var expectedKeys = trials.Where(t => t.Seed == 1111).Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, expectedKeys.Count);
        var curvesSvg = Path.Combine(folder.Directory, "curves.svg");
        var barsSvg = Path.Combine(folder.Directory, "bars.svg");

        var epochs = ProcessRunner.MselabIn(folder.Directory, "results", "--epochs", "--where", "seed = 1111", "--format", "json");
        var curves = ProcessRunner.MselabIn(folder.Directory, "plot", "curves", "--sweep", folder.Name, "--where", "seed = 1111", "--out", curvesSvg);
        var bars = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--where", "seed = 2222 and lr = 0.005", "--metric", "mae", "--out", barsSvg);

        Assert.True(epochs.ExitCode == 0, epochs.StandardError);
        using (var document = JsonDocument.Parse(epochs.StandardOutput))
        {
            var rows = document.RootElement.EnumerateArray().ToList();
            Assert.Equal(expectedKeys.Sum(k => folder.Epochs(k).Count), rows.Count);
            Assert.Equal(expectedKeys, rows.Select(r => r.GetProperty("key").GetString()!).Distinct().Order(StringComparer.Ordinal));
            Assert.All(rows, r => Assert.Equal(1111, r.GetProperty("seed").GetInt32()));
        }

        Assert.True(curves.ExitCode == 0, curves.StandardOutput + curves.StandardError);
        var curveText = PlotCommandTests.SvgText(curvesSvg);
        // Each learning rate's band now rests on the one matching seed.
        Assert.Contains("lr=0.005 (n=1)", curveText, StringComparison.Ordinal);
        Assert.Contains("lr=0.001 (n=1)", curveText, StringComparison.Ordinal);
        Assert.DoesNotContain("(n=2)", curveText, StringComparison.Ordinal);
        Assert.True(bars.ExitCode == 0, bars.StandardOutput + bars.StandardError);
        Assert.Contains("1 group(s)", bars.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("n=1", PlotCommandTests.SvgText(barsSvg), StringComparison.Ordinal);
    }

    [Fact]
    public void Where_BadOrMatchingNothing_ExitTwoAndNoPicture()
    {
        using var folder = new SweepFolder();
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);
        var png = Path.Combine(folder.Directory, "out.png");

        var injected = ProcessRunner.MselabIn(folder.Directory, "plot", "curves", "--sweep", folder.Name, "--where", "seed = 1; DROP TABLE trials", "--out", png);
        var unknown = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--where", "colour = 'red'", "--out", png);
        var epochs = ProcessRunner.MselabIn(folder.Directory, "results", "--epochs", "--where", "lr >", "--format", "csv");
        var nothingCurves = ProcessRunner.MselabIn(folder.Directory, "plot", "curves", "--sweep", folder.Name, "--where", "seed = 3", "--out", png);
        var nothingBars = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--where", "seed = 3", "--out", png);

        Assert.Equal(2, injected.ExitCode);
        Assert.Contains("at position 9: unexpected character ';'", injected.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("at position 1: unknown field 'colour'", unknown.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, epochs.ExitCode);
        Assert.Contains("at position 5: expected a value for lr", epochs.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, nothingCurves.ExitCode);
        Assert.Contains("No cell of sweep 'small' matches --where seed = 3", nothingCurves.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, nothingBars.ExitCode);
        Assert.Contains("No cell matches --where seed = 3", nothingBars.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(png));
        // The injection reached no database: every cell is still there.
        Assert.Equal(2, folder.Trials().Count);
    }
}
