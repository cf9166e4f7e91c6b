using MseLab.Cli.Tests.Infrastructure;

namespace MseLab.Cli.Tests.Sweeps;

/// <summary><c>mselab sweep plan</c> as a user runs it: a sweep on a ChatGLM3-6B-shaped folder (config.json only) and the tiny preset.</summary>
public sealed class SweepPlanCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mselab-plan-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string resources)
    {
        var model = Path.Combine(_folder, "chatglm3-6b-base");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), """
            {"architectures": ["ChatGLMModel"], "model_type": "chatglm", "num_layers": 28, "hidden_size": 4096, "ffn_hidden_size": 13696,
             "kv_channels": 128, "num_attention_heads": 32, "multi_query_attention": true, "multi_query_group_num": 2,
             "padded_vocab_size": 65024, "add_qkv_bias": true}
            """);
        var sweep = Path.Combine(_folder, "plan.yaml");
        File.WriteAllText(sweep, $"name: plan\nbackbones: [chatglm3-6b-base, tiny]\ndatasets: [synthetic:mosei]\nseeds: [1, 2]\nprecision: paper\n{resources}\n");
        return sweep;
    }

    [Fact]
    public void Plan_NoMemoryGb_PrintsThePartsAndWhatSubmissionAsksFor()
    {
        var result = ProcessRunner.Mselab("sweep", "plan", Write("resources: {device: cuda}"), "--models", Path.Combine(_folder, "models"));

        Assert.True(result.ExitCode == 0, result.StandardError);
        var text = result.StandardOutput;
        Assert.Contains("chatglm3-6b-base", text, StringComparison.Ordinal);
        Assert.Contains("6.244 B", text, StringComparison.Ordinal);      // the authors' logged 6,243,584,000 frozen parameters
        Assert.Contains("11.63", text, StringComparison.Ordinal);        // their fp16 weights in GiB
        Assert.Contains("No memory_gb in", text, StringComparison.Ordinal);
        Assert.Contains("submission asks each cell for the largest estimate, 15.6 GB", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DeclaredMemoryGb_SaysItWinsOverTheEstimate()
    {
        var result = ProcessRunner.Mselab("sweep", "plan", Write("resources: {device: cuda, memory_gb: 22}"));

        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("memory_gb: 22 is declared", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_DescribesThePlan()
    {
        var result = ProcessRunner.Mselab("sweep", "plan", "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("The device memory each cell needs", result.StandardOutput, StringComparison.Ordinal);
    }
}
