using System.Text.Json.Nodes;
using MseLab.Experiments.Trials;
using MseLab.Models.Backbones;
using MseLab.Models.Checkpoints;
using MseLab.Models.Llama;
using MseLab.Models.Tests.Support;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Backbones;

public sealed class BackbonePrecisionTests : IDisposable
{
    // Values where bf16 -> fp16 rounding is easy to get wrong: ties to even in bf16 (1 + 2^-8, 1 + 3*2^-8), just above a
    // tie, the fp16 maximum (which bf16 rounds up to 65536, hence fp16 inf), values past it, fp16 subnormals and values
    // below half the smallest one, an fp32 subnormal, signed zero, and large and small magnitudes of both signs.
    private static readonly float[] Awkward =
    [
        1f + (1f / 256), 1f + (3f / 256), 1f + (1f / 256) + (1f / (1 << 20)), 65504f, 65519f, 70000f, -1e6f,
        1e-7f, 3e-8f, 2.9e-8f, 6.2e-5f, 1e-40f, -0f, 0.1f, -0.3333333f, 1234.5678f, -3.0e-6f,
    ];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"mselab-precision-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32, ScalarType.Float32)]   // a tiny model on the CPU
    [InlineData(ScalarType.Float16, ScalarType.Float32)]   // LLaMA-2 / ChatGLM3 on the CPU
    [InlineData(ScalarType.Float16, ScalarType.Float16)]   // LLaMA-2 / ChatGLM3 on CUDA
    [InlineData(ScalarType.BFloat16, ScalarType.Float32)]  // Qwen-1 on the CPU
    [InlineData(ScalarType.BFloat16, ScalarType.Float16)]  // Qwen-1 on CUDA
    public void Apply_Paper_EqualsPyTorchBf16ThenFp16OfTheCheckpoint(ScalarType stored, ScalarType loaded)
    {
        var file = WriteCheckpoint(stored);
        using var backbone = LlamaLoader.Load(_directory, loaded);

        BackbonePrecision.Apply(backbone, TrialPrecision.Paper);

        var reference = DebianPython.Run("Backbones/python/paper_rounding_reference.py", new JsonObject { ["file"] = file })!.AsObject();
        var weights = backbone.NamedWeights().ToList();
        Assert.Equal(reference.Count, weights.Count);
        foreach (var (name, weight) in weights)
        {
            Assert.Equal(loaded, weight.dtype);
            var expected = reference[name]!.AsArray().Select(v => (ushort)v!.GetValue<int>()).ToArray();
            using var half = weight.to(ScalarType.Float16);
            var actual = half.data<Half>().Select(BitConverter.HalfToUInt16Bits).ToArray();
            Assert.True(expected.SequenceEqual(actual), $"{name} ({stored} stored, {loaded} loaded) differs from PyTorch's bf16 -> fp16 rounding.");
        }
    }

    [Fact]
    public void Apply_Fp32_LeavesTheWeightsBitIdentical()
    {
        WriteCheckpoint(ScalarType.Float32);
        using var backbone = LlamaLoader.Load(_directory);
        var before = backbone.NamedWeights().Select(w => w.Value.data<float>().ToArray()).ToList();

        BackbonePrecision.Apply(backbone, TrialPrecision.Fp32);

        Assert.Equal(before, backbone.NamedWeights().Select(w => w.Value.data<float>().ToArray()).ToList());
        Assert.Contains(before[0], v => v != (float)(Half)v); // the fixture has values fp16 would change
    }

    [Fact]
    public void Apply_PaperOnBf16Backbone_Throws()
    {
        WriteCheckpoint(ScalarType.BFloat16);
        using var backbone = LlamaLoader.Load(_directory, ScalarType.BFloat16);

        var error = Assert.Throws<ArgumentException>(() => BackbonePrecision.Apply(backbone, TrialPrecision.Paper));

        Assert.Contains("Float32 or Float16", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TrialPrecision.Fp32, "cpu", ScalarType.Float32)]
    [InlineData(TrialPrecision.Fp32, "cuda", ScalarType.Float32)]
    [InlineData(TrialPrecision.Paper, "cpu", ScalarType.Float32)]
    [InlineData(TrialPrecision.Paper, "cuda", ScalarType.Float16)]
    public void DType_PaperComputesInFp16OnlyOnCuda(TrialPrecision precision, string device, ScalarType expected) =>
        Assert.Equal(expected, BackbonePrecision.DType(precision, new Device(device)));

    private string WriteCheckpoint(ScalarType stored)
    {
        Directory.CreateDirectory(_directory);
        var config = TestCheckpoints.SmallConfig();
        manual_seed(13);
        using var model = new LlamaForCausalLM(config);
        using (no_grad())
        {
            foreach (var (_, parameter) in model.named_parameters())
            {
                parameter.normal_(0, 0.05);
            }

            // Row 0 of the embedding holds the awkward values; row 1 a wide spread of magnitudes.
            var embed = model.NamedWeights().Single(w => w.Name == "model.embed_tokens.weight").Value;
            embed[0, ..Awkward.Length] = tensor(Awkward);
            embed[1] = randn(config.HiddenSize) * exp(linspace(-25, 12, config.HiddenSize));
        }

        config.Save(Path.Combine(_directory, "config.json"));
        HfCheckpoint.Save(model, _directory, stored);
        return Assert.Single(HfCheckpoint.WeightFiles(_directory));
    }
}
