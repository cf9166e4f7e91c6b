using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.Models.Backbones;
using MseLab.Models.Qwen;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Cli.Tests.Backbone;

/// <summary>
/// mselab backbone logits and cached greedy decoding on Qwen-1 checkpoints against an independent PyTorch
/// implementation of the remote modeling_qwen.py (Reference/qwen_reference.py).
/// </summary>
public sealed class QwenLogitsTests : IDisposable
{
    private const string EightIds = "1,5,9,33,2,96,0,41";
    private const string TwentyIds = "1,5,9,33,2,96,0,41,7,7,60,12,88,3,19,50,4,71,26,90";
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-qwen-logits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Variants => new()
    {
        "plain",
        "long",              // 20 ids past seq_length 8: dynamic NTK (alpha 7) and logn attention at work
        "long-no-ntk",
        "long-no-logn",
        "long-rotary-half",
        "tied",
        "rotary-half",       // rotary on the first half of each head
        "biased",            // no_bias false: biases on attn.c_proj and the MLP
        "bf16",
        "f16-sharded",
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logits_AnyCheckpointVariant_EqualIndependentPyTorchWithin1e4(string variant)
    {
        var (config, storedType, sharded) = Variant(variant);
        var ids = variant.StartsWith("long", StringComparison.Ordinal) ? TwentyIds : EightIds;
        var model = QwenCheckpoints.Write(Path.Combine(_dir, "m"), config, storedType, sharded: sharded);

        var ours = Logits(model, ids);
        var reference = ReferenceLogits(model, ids);

        Assert.Equal(ids.Split(',').Length, ours.Length);
        Assert.Equal(reference.Length, ours.Length);
        var maxDiff = MaxDiff(ours, reference);
        Assert.True(maxDiff < 1e-4, $"{variant}: max |logit difference| {maxDiff}");
        // The comparison is not vacuous: logits vary across positions and vocabulary.
        Assert.True(ours.SelectMany(r => r).Max() - ours.SelectMany(r => r).Min() > 0.1);
    }

    [Theory]
    [InlineData("ntk")]
    [InlineData("logn")]
    public void Logits_PromptLongerThanSeqLength_ChangeWhenTheQuirkIsOff(string quirk)
    {
        var config = QwenCheckpoints.SmallConfig(seqLength: 8);
        var model = QwenCheckpoints.Write(Path.Combine(_dir, "m"), config);
        var withQuirk = Logits(model, TwentyIds);

        (quirk == "ntk" ? config with { UseDynamicNtk = false } : config with { UseLognAttn = false }).Save(Path.Combine(model, "config.json"));
        var without = Logits(model, TwentyIds);

        // NTK changes the rotary base of the whole prompt (position 0 does not rotate); logn scales only the queries
        // past seq_length.
        var untouched = quirk == "ntk" ? 1 : 8;
        Assert.True(MaxDiff(withQuirk[..untouched], without[..untouched]) < 1e-6);
        Assert.True(MaxDiff(withQuirk[untouched..], without[untouched..]) > 1e-3, $"turning {quirk} off left the logits unchanged");
    }

    [Theory]
    [InlineData(12, 10)]    // prefill alpha 3 kept while the sequence grows to 21 (a fresh forward would take alpha 7)
    [InlineData(6, 8)]      // prefill within seq_length (alpha 1), decoding past it: logn on, alpha still 1
    public void GreedyGeneration_WithKvCache_EqualsTheRemoteCodesCachedGeneration(int promptLength, int newTokens)
    {
        var model = QwenCheckpoints.Write(Path.Combine(_dir, "m"), QwenCheckpoints.SmallConfig(seqLength: 8), weightScale: 3);
        var prompt = string.Join(',', TwentyIds.Split(',')[..promptLength]);

        using var backbone = QwenLoader.Load(model);
        using var scope = NewDisposeScope();
        var ids = tensor(prompt.Split(',').Select(long.Parse).ToArray()).unsqueeze(0);
        var ours = GreedyDecoder.Generate(backbone, backbone.EmbedTokens(ids), newTokens)[0].data<long>().ToArray();

        var reference = ProcessRunner.PythonScript("qwen_reference.py", model, prompt, "--generate", newTokens.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(reference.ExitCode == 0, reference.StandardError);
        using var document = JsonDocument.Parse(reference.StandardOutput);
        var expected = document.RootElement.GetProperty("ids").EnumerateArray().Select(v => v.GetInt64()).ToArray();

        Assert.Equal(expected, ours);
        // The check can tell: recomputing every step without a cache (alpha from the whole length) picks other tokens.
        Assert.NotEqual(expected, RecomputedGreedy(backbone, ids, newTokens));
    }

    private static long[] RecomputedGreedy(QwenForCausalLM backbone, Tensor ids, int newTokens)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var sequence = ids;
        for (var i = 0; i < newTokens; i++)
        {
            var next = backbone.forward(sequence)[.., -1, ..].argmax(-1, keepdim: true);   // (1, 1)
            sequence = cat([sequence, next], dim: 1);
        }

        return sequence[0, (int)ids.shape[1]..].data<long>().ToArray();
    }

    private static (QwenConfig Config, ScalarType StoredType, bool Sharded) Variant(string name)
    {
        var small = QwenCheckpoints.SmallConfig();
        var longPrompt = QwenCheckpoints.SmallConfig(seqLength: 8);
        return name switch
        {
            "plain" => (small, ScalarType.Float32, false),
            "long" => (longPrompt, ScalarType.Float32, false),
            "long-no-ntk" => (longPrompt with { UseDynamicNtk = false }, ScalarType.Float32, false),
            "long-no-logn" => (longPrompt with { UseLognAttn = false }, ScalarType.Float32, false),
            "long-rotary-half" => (QwenCheckpoints.SmallConfig(rotaryPct: 0.5, seqLength: 8), ScalarType.Float32, false),
            "tied" => (QwenCheckpoints.SmallConfig(tied: true), ScalarType.Float32, false),
            "rotary-half" => (QwenCheckpoints.SmallConfig(rotaryPct: 0.5), ScalarType.Float32, false),
            "biased" => (QwenCheckpoints.SmallConfig(noBias: false), ScalarType.Float32, false),
            "bf16" => (small, ScalarType.BFloat16, false),
            "f16-sharded" => (small, ScalarType.Float16, true),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown variant"),
        };
    }

    private static double[][] Logits(string model, string ids)
    {
        var result = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", ids, "--json");
        Assert.True(result.ExitCode == 0, result.StandardError);
        return Read(result.StandardOutput, "logits");
    }

    private static double[][] ReferenceLogits(string model, string ids)
    {
        var result = ProcessRunner.PythonScript("qwen_reference.py", model, ids);
        Assert.True(result.ExitCode == 0, result.StandardError);
        return Read(result.StandardOutput, "logits");
    }

    private static double MaxDiff(double[][] a, double[][] b) =>
        a.Zip(b).SelectMany(rows => rows.First.Zip(rows.Second, (x, y) => Math.Abs(x - y))).Max();

    private static double[][] Read(string json, string property)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty(property).EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
    }
}
