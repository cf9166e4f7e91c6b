using MseLab.Models.Checkpoints;
using MseLab.Models.Llama;
using MseLab.TestSupport;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Checkpoints;

public sealed class HfCheckpointTests : IDisposable
{
    private const string BinWriter = "Checkpoints/python/write_pytorch_bin.py";

    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Model(ScalarType stored = ScalarType.Float32, bool sharded = false, bool tied = false) =>
        TestCheckpoints.Write(Path.Combine(_dir, "m"), TestCheckpoints.SmallConfig(tied), stored, sharded: sharded);

    // The fp32 values a checkpoint stores, read by PyBridge's whole-file reader (not the streaming one under test).
    private static Dictionary<string, Tensor> Stored(string directory) =>
        HfCheckpoint.WeightFiles(directory).SelectMany(f => Safetensors.LoadStateDict(f)).ToDictionary(p => p.Key, p => p.Value.to(ScalarType.Float32));

    private static void WriteBin(string directory, string dtype, int shards, double scale = 1.0) =>
        ChildProcess.RunPython(BinWriter, [directory, dtype, shards.ToString(System.Globalization.CultureInfo.InvariantCulture), scale.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    private static void AssertWeights(LlamaForCausalLM model, IReadOnlyDictionary<string, Tensor> expected)
    {
        var weights = model.named_parameters().ToList();
        Assert.Equal(expected.Keys.Order(), weights.Select(w => w.name).Order());
        foreach (var (name, parameter) in weights)
        {
            Assert.Equal(DeviceType.CPU, parameter.device_type);
            Assert.True(parameter.to(ScalarType.Float32).eq(expected[name]).all().item<bool>(), $"{name} differs from the checkpoint");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float32, false)]
    [InlineData(ScalarType.Float16, false)]
    [InlineData(ScalarType.BFloat16, false)]
    [InlineData(ScalarType.BFloat16, true)]
    public void Load_Safetensors_StreamsEveryTensorConvertedToTheModelDtype(ScalarType stored, bool sharded)
    {
        var dir = Model(stored, sharded);

        using var model = LlamaLoader.Load(dir);

        AssertWeights(model, Stored(dir));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void Load_IntoBf16Model_RoundsFp32WeightsToBf16()
    {
        var dir = Model();

        using var model = LlamaLoader.Load(dir, ScalarType.BFloat16);

        AssertWeights(model, Stored(dir).ToDictionary(p => p.Key, p => p.Value.to(ScalarType.BFloat16).to(ScalarType.Float32)));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
    }

    [Fact]
    public void Load_OnMeta_GivesTheLogitsOfAModelBuiltWithRandomWeightsThenOverwritten()
    {
        var dir = Model();
        using var streamed = LlamaLoader.Load(dir);
        using var overwritten = new LlamaForCausalLM(TestCheckpoints.SmallConfig());
        HfCheckpoint.LoadInto(overwritten, dir);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 5, 17, 3, 90, 42 }).unsqueeze(0);

        Assert.True(streamed.forward(ids).eq(overwritten.forward(ids)).all().item<bool>());
        Assert.All(streamed.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(streamed.named_buffers(true, true), b => Assert.Equal(DeviceType.CPU, b.buffer.device_type));
        Assert.NotEmpty(streamed.named_buffers(true, true));
    }

    [Theory]
    [InlineData("F32", 1)]
    [InlineData("F16", 1)]
    [InlineData("BF16", 3)]
    public void Load_PyTorchBin_ReadsSingleAndShardedStateDicts(string dtype, int shards)
    {
        var dir = Model();
        var expected = Stored(dir).ToDictionary(p => p.Key, p => dtype switch
        {
            "F16" => p.Value.to(ScalarType.Float16).to(ScalarType.Float32),
            "BF16" => p.Value.to(ScalarType.BFloat16).to(ScalarType.Float32),
            _ => p.Value,
        });
        WriteBin(dir, dtype, shards);
        File.Delete(Path.Combine(dir, HfCheckpoint.SingleFile));

        using var model = LlamaLoader.Load(dir);

        Assert.Equal(CheckpointFormat.PyTorch, CheckpointFiles.Find(dir).Format);
        Assert.Equal(shards, CheckpointFiles.Find(dir).Files.Count);
        AssertWeights(model, expected);
    }

    [Fact]
    public void Load_BothFormats_PrefersSafetensors()
    {
        var dir = Model();
        WriteBin(dir, "F32", 1, scale: 2.0);

        using var model = LlamaLoader.Load(dir);

        AssertWeights(model, Stored(dir));
    }

    [Fact]
    public void Load_PyTorchBinShapeMismatch_NamesTheFileTheTensorAndBothShapes()
    {
        var dir = Model();
        WriteBin(dir, "F32", 2);
        File.Delete(Path.Combine(dir, HfCheckpoint.SingleFile));
        (TestCheckpoints.SmallConfig() with { IntermediateSize = 64 }).Save(Path.Combine(dir, "config.json"));

        var error = Assert.Throws<InvalidDataException>(() => LlamaLoader.Load(dir));

        // Shards are read in their own order: whichever MLP weight comes first is named, with both shapes.
        Assert.Matches(
            @"pytorch_model-0000\d-of-00002\.bin: tensor 'model\.layers\.\d\.mlp\.(gate|up|down)_proj\.weight' has shape \[(88, 32|32, 88)\] but config\.json implies \[(64, 32|32, 64)\]",
            error.Message);
    }

    [Fact]
    public void Load_PyTorchBinMissingAndUnexpected_AreNamed()
    {
        var dir = Model();
        var file = Path.Combine(dir, HfCheckpoint.SingleFile);
        var state = Safetensors.LoadStateDict(file);
        state.Remove("model.norm.weight", out var norm);
        state["model.extra.weight"] = norm!;
        Safetensors.SaveStateDict(file, state);
        WriteBin(dir, "F32", 1);
        File.Delete(file);

        var error = Assert.Throws<InvalidDataException>(() => LlamaLoader.Load(dir));

        Assert.Contains("Missing tensors: model.norm.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unexpected tensors: model.extra.weight (in pytorch_model.bin)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_PyTorchBinIndexListsAMissingShard_NamesIt()
    {
        var dir = Model();
        WriteBin(dir, "F32", 2);
        File.Delete(Path.Combine(dir, HfCheckpoint.SingleFile));
        File.Delete(Path.Combine(dir, "pytorch_model-00002-of-00002.bin"));

        var error = Assert.Throws<FileNotFoundException>(() => LlamaLoader.Load(dir));

        Assert.Contains("pytorch_model-00002-of-00002.bin", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("truncated")]
    [InlineData("not-a-zip")]
    public void Load_CorruptPyTorchBin_FailsNamingTheFile(string damage)
    {
        var dir = Model();
        WriteBin(dir, "F32", 1);
        File.Delete(Path.Combine(dir, HfCheckpoint.SingleFile));
        var file = Path.Combine(dir, CheckpointFiles.PyTorchFile);
        var bytes = File.ReadAllBytes(file);
        File.WriteAllBytes(file, damage == "truncated" ? bytes[..(bytes.Length / 2)] : [.. "garbage, not a zip file"u8]);

        var error = Assert.Throws<InvalidDataException>(() => LlamaLoader.Load(dir));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NoWeights_NamesTheFilesLookedFor()
    {
        var dir = Model();
        File.Delete(Path.Combine(dir, HfCheckpoint.SingleFile));

        var error = Assert.Throws<FileNotFoundException>(() => LlamaLoader.Load(dir));

        Assert.Contains(CheckpointFiles.PyTorchIndex, error.Message, StringComparison.Ordinal);
        Assert.Contains(dir, error.Message, StringComparison.Ordinal);
    }
}
