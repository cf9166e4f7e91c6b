using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.TestSupport;

namespace MseLab.Cli.Tests.Commands;

/// <summary>
/// A small run of <c>mselab bench early-stopping</c> (4 learning rates x 2 seeds, 4 epochs, on the shared tiny backbone):
/// the JSON has the shape, ASHA pruned cells and trained fewer epochs than the full run. The figures themselves
/// are the benchmark's (README), not this test's.
/// </summary>
public sealed class BenchEarlyStoppingTests
{
    [Fact]
    public void BenchEarlyStopping_SmallSweep_PrintsTheFiguresAndPrunes()
    {
        var folder = Directory.CreateTempSubdirectory("mselab-bench-es-test-").FullName;
        try
        {
            var result = ProcessRunner.MselabIn(folder,
                "bench", "early-stopping", "--configs", "4", "--seeds", "2", "--epochs", "4", "--train", "16", "--backbone", TinyBackbones.Directory, "--json");

            Assert.True(result.ExitCode == 0, result.StandardError + result.StandardOutput);
            using var json = JsonDocument.Parse(result.StandardOutput);
            var root = json.RootElement;
            foreach (var run in new[] { "full_best", "asha_best" })
            {
                var best = root.GetProperty(run);
                Assert.StartsWith("lr=", best.GetProperty("config").GetString(), StringComparison.Ordinal);
                Assert.Equal("mae", best.GetProperty("metric").GetString());
                Assert.True(best.GetProperty("mean").GetDouble() > 0, run);
                Assert.Equal(2, best.GetProperty("seeds").GetInt32());
            }

            // The full run trains every cell to the end; ASHA stops some at rung 1 or 3.
            Assert.Equal(4 * 2 * 4, root.GetProperty("epochs_full").GetInt32());
            var asha = root.GetProperty("epochs_asha").GetInt32();
            Assert.InRange(asha, 4 * 2, (4 * 2 * 4) - 1);
            Assert.True(root.GetProperty("pruned_cells_asha").GetInt32() > 0, result.StandardOutput);
            Assert.Equal(0, root.GetProperty("failed_cells").GetInt32());
            Assert.Equal(Math.Round((double)asha / (4 * 2 * 4), 3), root.GetProperty("epoch_ratio").GetDouble(), 3);
            Assert.False(Directory.Exists(Path.Combine(folder, "models")), "the bench made a backbone although one was given");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void BenchEarlyStopping_Help_ListsTheOptions()
    {
        var result = ProcessRunner.Mselab("bench", "early-stopping", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--configs", "--seeds", "--epochs", "--grace-epochs", "--reduction-factor", "--json" })
        {
            Assert.Contains(option, result.StandardOutput, StringComparison.Ordinal);
        }
    }
}
