using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary><c>mselab results --where/--best/--top</c> on a store a sweep wrote; a bad filter is exit 2 with its position and changes nothing.</summary>
public sealed class ResultsWhereTests
{
    [Fact]
    public void Results_WhereBestTopAndInjection_FiltersOrdersAndRefuses()
    {
        using var folder = new SweepFolder();
        Assert.Equal(0, ProcessRunner.MselabIn(folder.Directory, "sweep", "run", folder.File).ExitCode);
        var trials = folder.Trials();
        var best = trials.MinBy(t => t.Test["mae"])!;

        var one = ProcessRunner.MselabIn(folder.Directory, "results", "--where", "seed = 2222 and status = succeeded", "--group-by", "seed", "--format", "json");
        var top = ProcessRunner.MselabIn(folder.Directory, "results", "--group-by", "seed", "--best", "mae", "--top", "1", "--format", "json");
        var evil = ProcessRunner.MselabIn(folder.Directory, "results", "--where", "seed = 1; DROP TABLE trials; --");
        var unknown = ProcessRunner.MselabIn(folder.Directory, "results", "--where", "seed = 1 and colour = 'red'");
        var after = ProcessRunner.MselabIn(folder.Directory, "results", "--group-by", "seed", "--format", "json");

        Assert.True(one.ExitCode == 0, one.StandardError);
        using (var document = JsonDocument.Parse(one.StandardOutput))
        {
            var group = Assert.Single(document.RootElement.EnumerateArray().ToList());
            Assert.Equal("2222", group.GetProperty("seed").GetString());
        }

        Assert.True(top.ExitCode == 0, top.StandardError);
        using (var document = JsonDocument.Parse(top.StandardOutput))
        {
            var group = Assert.Single(document.RootElement.EnumerateArray().ToList());
            Assert.Equal(best.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), group.GetProperty("seed").GetString());
        }

        Assert.Equal(2, evil.ExitCode);
        Assert.Contains("at position 9: unexpected character ';'", evil.StandardError, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("at position 14: unknown field 'colour'", unknown.StandardError, StringComparison.Ordinal);
        Assert.True(after.ExitCode == 0, after.StandardError);
        using (var document = JsonDocument.Parse(after.StandardOutput))
        {
            Assert.Equal(2, document.RootElement.GetArrayLength());
        }
    }

    [Fact]
    public void ResultsHelp_DocumentsTheFilterLanguageWithExamples()
    {
        var help = ProcessRunner.Mselab("results", "--help");

        Assert.True(help.ExitCode == 0, help.StandardOutput + help.StandardError);
        foreach (var text in (string[])["--where", "--best", "--top", "--sort", "[not] in", "like", "test.METRIC", "best_valid.METRIC", "family like 'qwen%'"])
        {
            Assert.Contains(text, help.StandardOutput, StringComparison.Ordinal);
        }
    }
}
