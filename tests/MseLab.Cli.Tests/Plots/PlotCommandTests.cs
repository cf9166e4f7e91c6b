using System.Buffers.Binary;
using System.Xml.Linq;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Cli.Tests.Sweeps;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Plots;

/// <summary><c>mselab plot curves|leaderboard</c> on the store a real sweep wrote: a valid PNG and SVG, and exit 2 with the fix on bad input.</summary>
public sealed class PlotCommandTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Plots_AfterSweep_PngAndSvgAreValidAndErrorsExitTwo()
    {
        using var folder = new SweepFolder(lr: "[5e-3, 1e-3]");
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);
        var png = Path.Combine(folder.Directory, "curves.png");
        var svg = Path.Combine(folder.Directory, "curves.svg");
        var bars = Path.Combine(folder.Directory, "leaderboard.png");
        var barsSvg = Path.Combine(folder.Directory, "leaderboard.svg");

        var curves = ProcessRunner.MselabIn(folder.Directory, "plot", "curves", "--sweep", folder.Name, "--out", png);
        var curvesSvg = ProcessRunner.MselabIn(folder.Directory, "plot", "curves", "--sweep", folder.Name, "--metric", "train_loss", "--out", svg);
        var leaderboard = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--sweep", folder.Name, "--out", bars);
        var leaderboardSvg = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--metric", "has0_acc2", "--out", barsSvg);

        foreach (var run in new[] { curves, curvesSvg, leaderboard, leaderboardSvg })
        {
            Assert.True(run.ExitCode == 0, run.StandardOutput + run.StandardError);
        }

        Assert.Contains("valid.mae", curves.StandardOutput, StringComparison.Ordinal);
        AssertPng(png);
        AssertPng(bars);
        // Series names: one legend entry per learning rate (the field that differs), n seeds each.
        var curveText = SvgText(svg);
        Assert.Contains("lr=0.005 (n=2)", curveText, StringComparison.Ordinal);
        Assert.Contains("lr=0.001 (n=2)", curveText, StringComparison.Ordinal);
        Assert.Contains("train loss", curveText, StringComparison.Ordinal);
        var barText = SvgText(barsSvg);
        Assert.Contains("lr=0.005", barText, StringComparison.Ordinal);
        Assert.Contains("n=2", barText, StringComparison.Ordinal);
        Assert.Contains("test has0_acc2", barText, StringComparison.Ordinal);

        var unknownSweep = ProcessRunner.MselabIn(folder.Directory, "plot", "curves", "--sweep", "nosuch", "--out", png);
        var unknownMetric = ProcessRunner.MselabIn(folder.Directory, "plot", "curves", "--sweep", folder.Name, "--metric", "colour", "--out", png);
        var unknownTestMetric = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--metric", "colour", "--out", png);
        var badExtension = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--out", Path.Combine(folder.Directory, "bars.jpg"));
        var missingFolder = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--out", Path.Combine(folder.Directory, "no", "bars.png"));
        // A folder where the file should go: the folder exists, the write fails (root ignores permissions, not this).
        var taken = Directory.CreateDirectory(Path.Combine(folder.Directory, "taken.png")).FullName;
        var unwritable = ProcessRunner.MselabIn(folder.Directory, "plot", "leaderboard", "--out", taken);

        AssertBadInput(unknownSweep, "mselab sweep status");
        AssertBadInput(unknownMetric, "valid.mae");
        AssertBadInput(unknownTestMetric, "has0_acc2");
        AssertBadInput(badExtension, ".png or .svg");
        AssertBadInput(missingFolder, "does not exist");
        AssertBadInput(unwritable, "cannot write the plot");
    }

    [Fact]
    public void PlotHelp_ListsBothCommandsWithExamples()
    {
        var help = ProcessRunner.MselabIn(Path.GetTempPath(), "plot", "--help");
        var curves = ProcessRunner.MselabIn(Path.GetTempPath(), "plot", "curves", "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("curves", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("leaderboard", help.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--out", curves.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("mean ± std", curves.StandardOutput, StringComparison.Ordinal);
    }

    private static void AssertPng(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.Equal(PngSignature, bytes[..8]);
        // IHDR: width and height, big-endian, right after the chunk length and type.
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        Assert.Equal(1200, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(700, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
        Assert.True(bytes.Length > 10_000, $"{path}: {bytes.Length} bytes, too small for a drawn plot");
    }

    internal static string SvgText(string path)
    {
        var document = XDocument.Load(path);
        Assert.Equal("svg", document.Root!.Name.LocalName);
        return string.Join("\n", document.Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value));
    }

    private static void AssertBadInput(ProcessResult run, string fix)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.StandardOutput}{run.StandardError}");
        Assert.Contains(fix, run.StandardError, StringComparison.Ordinal);
    }
}
