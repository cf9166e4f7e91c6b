using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Models.Backbones;
using MseLab.Models.ChatGlm;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Cli.Tests.Backbone;

/// <summary>
/// mselab backbone logits and cached greedy generation of ChatGLM3 checkpoints against an independent PyTorch
/// implementation of the remote modeling_chatglm.py (Reference/chatglm_reference.py).
/// </summary>
public sealed class ChatGlmLogitsTests : IDisposable
{
    private const string Ids = "64,65,1,5,9,33,2,96,0,41,100,7";
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-chatglm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Variants => [.. VariantConfigs.Keys];

    private static readonly Dictionary<string, Func<ChatGlmConfig, ChatGlmConfig>> VariantConfigs = new()
    {
        ["mqa-2-groups"] = c => c,
        ["mqa-1-group"] = c => c with { MultiQueryGroupNum = 1 },
        ["no-mqa"] = c => c with { MultiQueryAttention = false },
        ["no-mqa-kv-channels-12"] = c => c with { MultiQueryAttention = false, KvChannels = 12 },
        ["kv-channels-16"] = c => c with { KvChannels = 16 },
        ["layernorm"] = c => c with { RmsNorm = false },
        ["post-ln-residual"] = c => c with { ApplyResidualConnectionPostLayernorm = true },
        ["layernorm-post-ln-residual"] = c => c with { RmsNorm = false, ApplyResidualConnectionPostLayernorm = true },
        ["no-bias"] = c => c with { AddQkvBias = false },
        ["bias-linear"] = c => c with { AddQkvBias = false, AddBiasLinear = true },
        ["no-final-layernorm"] = c => c with { PostLayerNorm = false },
        ["rope-ratio-50"] = c => c with { RopeRatio = 50 },
        ["no-layer-scaling"] = c => c with { ApplyQueryKeyLayerScaling = false, AttentionSoftmaxInFp32 = false },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logits_ArchitectureVariant_EqualIndependentPyTorchWithin1e4(string variant)
    {
        var model = ChatGlmCheckpoints.Write(Path.Combine(_dir, "m"), VariantConfigs[variant](ChatGlmCheckpoints.SmallConfig()));

        AssertLogitsMatchReference(model);
    }

    [Theory]
    [InlineData("F16", false)]
    [InlineData("BF16", false)]
    [InlineData("F32", true)]
    [InlineData("BF16", true)]
    public void Logits_StoredTypeAndSharding_EqualIndependentPyTorchWithin1e4(string storedType, bool sharded)
    {
        var dtype = storedType switch { "BF16" => ScalarType.BFloat16, "F16" => ScalarType.Float16, _ => ScalarType.Float32 };
        var model = ChatGlmCheckpoints.Write(Path.Combine(_dir, "m"), ChatGlmCheckpoints.SmallConfig(), dtype, sharded: sharded);

        AssertLogitsMatchReference(model);
    }

    [Fact]
    public void Logits_HalfPrecisionTorchDtype_RoundsTheRotaryTableAsTheRemoteCode()
    {
        // torch_dtype float16 makes the remote inv_freq half, so its cos/sin table is rounded to fp16 even in a float32
        // run. Both readings of the same weights match the reference within 5e-6 (float32 noise here is below 1e-6),
        // and they differ from each other by more than twice that, so the comparison sees the rounding.
        const double Tight = 5e-6;
        var model = ChatGlmCheckpoints.Write(Path.Combine(_dir, "m"), ChatGlmCheckpoints.SmallConfig() with { KvChannels = 16 }, ScalarType.Float16);
        var halfTable = AssertLogitsMatchReference(model, Tight);
        var configPath = Path.Combine(model, "config.json");
        (ChatGlmConfig.Load(configPath) with { TorchDtype = "float32" }).Save(configPath);
        var fullTable = AssertLogitsMatchReference(model, Tight);

        var effect = MaxDifference(halfTable, fullTable);
        Assert.True(effect > 2 * Tight, $"fp16 rounding of the rotary table moved the logits by only {effect}");
    }

    [Fact]
    public void Logits_SequenceLongerThanSeqLength_FailsNamingSeqLength()
    {
        var model = ChatGlmCheckpoints.Write(Path.Combine(_dir, "m"), ChatGlmCheckpoints.SmallConfig() with { SeqLength = 8 });

        var atLimit = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", "1,2,3,4,5,6,7,8", "--json");
        var past = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", "1,2,3,4,5,6,7,8,9", "--json");

        Assert.True(atLimit.ExitCode == 0, atLimit.StandardError);
        Assert.NotEqual(0, past.ExitCode);
        Assert.Contains("seq_length = 8", past.StandardError, StringComparison.Ordinal);
        Assert.Contains("9 positions", past.StandardError, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqa-2-groups")]
    [InlineData("no-mqa")]
    [InlineData("rope-ratio-50")]
    public void GreedyWithCache_BatchOfTwo_EqualsTheReferenceCachedGeneration(string variant)
    {
        const int newTokens = 8;
        long[,] prompts = { { 64, 65, 9, 33, 2, 96 }, { 64, 65, 41, 100, 7, 7 } };
        var model = ChatGlmCheckpoints.Write(Path.Combine(_dir, "m"), VariantConfigs[variant](ChatGlmCheckpoints.SmallConfig()), seed: 13);

        var reference = ProcessRunner.PythonScript("chatglm_reference.py", model, "64,65,9,33,2,96;64,65,41,100,7,7", newTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        long[][] ours;
        using (var backbone = ChatGlmLoader.Load(model))
        using (var scope = NewDisposeScope())
        using (no_grad())
        using (var cache = new KvCache(backbone.Layers))
        {
            // Prefill, then one token a step through the cache (positions continue), as the remote generate loop.
            var logits = backbone.Forward(backbone.EmbedTokens(tensor(prompts)), cache);
            var steps = new List<Tensor>();
            for (var step = 0; step < newTokens; step++)
            {
                var next = logits[.., -1, ..].argmax(-1);
                steps.Add(next);
                logits = backbone.Forward(backbone.EmbedTokens(next.unsqueeze(1)), cache);
            }

            var generated = stack(steps, dim: 1);
            ours = [.. Enumerable.Range(0, 2).Select(r => generated[r].data<long>().ToArray())];
        }

        Assert.True(reference.ExitCode == 0, reference.StandardError);
        using var document = JsonDocument.Parse(reference.StandardOutput);
        var expected = document.RootElement.GetProperty("ids").EnumerateArray().Select(row => row.EnumerateArray().Select(v => v.GetInt64()).ToArray()).ToArray();
        Assert.Equal(expected, ours);
        // Not a constant sequence: the comparison covers several distinct tokens.
        Assert.True(ours.SelectMany(r => r).Distinct().Count() > 2, string.Join(",", ours.SelectMany(r => r)));
    }

    private static double[][] AssertLogitsMatchReference(string model, double tolerance = 1e-4)
    {
        var ours = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", Ids, "--json");
        var reference = ProcessRunner.PythonScript("chatglm_reference.py", model, Ids);

        Assert.True(ours.ExitCode == 0, ours.StandardError);
        Assert.True(reference.ExitCode == 0, reference.StandardError);
        var a = ReadLogits(ours.StandardOutput);
        var b = ReadLogits(reference.StandardOutput);
        Assert.Equal(12, a.Length);
        Assert.Equal(b.Length, a.Length);
        Assert.All(a, row => Assert.Equal(101, row.Length));
        var maxDiff = MaxDifference(a, b);
        Assert.True(maxDiff < tolerance, $"max |logit difference| {maxDiff}");
        // The comparison is not vacuous: logits vary across positions and vocabulary.
        Assert.True(a.SelectMany(r => r).Max() - a.SelectMany(r => r).Min() > 0.1);
        return a;
    }

    private static double MaxDifference(double[][] a, double[][] b) =>
        a.Zip(b).SelectMany(rows => rows.First.Zip(rows.Second, (x, y) => Math.Abs(x - y))).Max();

    private static double[][] ReadLogits(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("logits").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
    }
}
