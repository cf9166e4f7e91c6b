using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Experiments.Metrics;

namespace MseLab.Cli.Tests.Commands;

public sealed class MetricsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-cli-metrics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Metrics_MoseiCsv_PrintsLibraryMetricsAsOrderedJson()
    {
        var path = WriteFile("id,prediction,truth\na,0.0,1.5\nb,-0.0,-2\nc,2.5,3\nd,-1.2,-1\n");

        var result = ProcessRunner.Mselab("metrics", "MOSEI", path);

        Assert.True(result.ExitCode == 0, result.StandardError);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var printed = json.RootElement.EnumerateObject().ToList();
        var expected = TaskMetrics.Compute(MetricsTask.Mosei, [1.5f, -2f, 3f, -1f], [0f, -0f, 2.5f, -1.2f]);
        Assert.Equal(expected.Keys, printed.Select(p => p.Name));
        foreach (var p in printed)
        {
            Assert.Equal(expected[p.Name], p.Value.GetDouble());
        }

        // Hand check. Has0 calls both zeros positive: a right (truth 1.5), b wrong (truth -2), c, d right.
        // Non0 calls both zeros negative: a wrong, b right, c, d right. 3 of 4 either way, for different reasons.
        Assert.Equal(0.75, json.RootElement.GetProperty("non0_acc2").GetDouble());
        Assert.Equal(0.75, json.RootElement.GetProperty("has0_acc2").GetDouble());
    }

    [Fact]
    public void Metrics_UndefinedValue_IsPrintedAsNaNString()
    {
        // No truth in [-0.4, 0.4]: acc2_weak is NaN.
        var path = WriteFile("truth,prediction\n1,1\n-1,0.5\n");

        var result = ProcessRunner.Mselab("metrics", "sims", path, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal("NaN", json.RootElement.GetProperty("acc2_weak").GetString());
    }

    [Fact]
    public void Metrics_UnparsableValue_ExitsTwoNamingFileLineAndColumn()
    {
        var path = WriteFile("truth,prediction\n1,2\n0.5,neutral\n");

        var result = ProcessRunner.Mselab("metrics", "meld", path);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Contains($"{path}:3: column 'prediction': 'neutral' is not a number", result.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_MissingColumnOrFileOrTask_ExitsTwoWithMessage()
    {
        var noPrediction = WriteFile("truth,pred\n1,2\n");

        var column = ProcessRunner.Mselab("metrics", "mosi", noPrediction);
        var file = ProcessRunner.Mselab("metrics", "mosi", Path.Combine(_dir, "absent.csv"));
        var task = ProcessRunner.Mselab("metrics", "iemocap", noPrediction);

        Assert.Equal(2, column.ExitCode);
        Assert.Contains($"{noPrediction}:1: column 'prediction'", column.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, file.ExitCode);
        Assert.Contains("absent.csv: file not found", file.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, task.ExitCode);
        Assert.Contains("Valid tasks: mosi, mosei, sims, simsv2, meld, cherma.", task.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Metrics_Help_DescribesTasksAndCsvFormat()
    {
        var result = ProcessRunner.Mselab("metrics", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var expected in new[] { "mosi", "mosei", "simsv2", "cherma", "weighted_f1", "'truth'", "'prediction'", "invariant" })
        {
            Assert.Contains(expected, result.StandardOutput, StringComparison.Ordinal);
        }
    }

    private string WriteFile(string content)
    {
        var path = Path.Combine(_dir, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, content);
        return path;
    }
}
