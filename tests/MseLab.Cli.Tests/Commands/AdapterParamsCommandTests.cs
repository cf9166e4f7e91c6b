using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;

namespace MseLab.Cli.Tests.Commands;

/// <summary>Runs the real <c>mselab</c> program (copied next to the tests by the project reference).</summary>
public sealed class AdapterParamsCommandTests
{
    [Theory]
    [InlineData("qwen-1.8b", "meld", "1312072")]
    [InlineData("chatglm3-6b-base", "cherma", "2842380")]
    public void Run_KnownPair_PrintsPlainCount(string backbone, string dataset, string expected)
    {
        var (exitCode, stdout, stderr) = Run("adapter", "params", "--backbone", backbone, "--dataset", dataset);

        Assert.True(exitCode == 0, stderr);
        Assert.Equal(expected, stdout.Trim());
    }

    [Fact]
    public void Run_Json_PrintsTotalAndPerModuleBreakdown()
    {
        var (exitCode, stdout, stderr) = Run("adapter", "params", "--backbone", "LLaMA2-7B", "--dataset", "simsv2", "--json");

        Assert.True(exitCode == 0, stderr);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        Assert.Equal("llama2-7b", root.GetProperty("backbone").GetString());
        Assert.Equal("simsv2", root.GetProperty("dataset").GetString());
        Assert.Equal(2_680_716, root.GetProperty("trainable_parameters").GetInt64());
        var modules = root.GetProperty("modules").EnumerateObject().ToList();
        Assert.Equal(["audio_LSTM", "video_LSTM", "text_guide_mixer", "mutli_scale_fusion"], modules.Select(m => m.Name));
        Assert.Equal(2_680_716, modules.Sum(m => m.Value.GetInt64()));
    }

    [Fact]
    public void Run_UnknownBackbone_ExitsTwoListingValidNames()
    {
        var (exitCode, stdout, stderr) = Run("adapter", "params", "--backbone", "gpt2", "--dataset", "mosei");

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("unknown --backbone 'gpt2'. Valid backbones: llama2-7b, qwen-1.8b, chatglm3-6b-base.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_MissingDataset_ExitsTwoListingValidNames()
    {
        var (exitCode, _, stderr) = Run("adapter", "params", "--backbone", "qwen-1.8b");

        Assert.Equal(2, exitCode);
        Assert.Contains("--dataset is required. Valid datasets: mosei, simsv2, meld, cherma.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Help_DescribesOptions()
    {
        var (exitCode, stdout, _) = Run("adapter", "params", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("--backbone <BACKBONE>", stdout, StringComparison.Ordinal);
        Assert.Contains("--dataset <DATASET>", stdout, StringComparison.Ordinal);
        Assert.Contains("--json", stdout, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(params string[] args)
    {
        var result = ProcessRunner.Mselab(args);
        return (result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
