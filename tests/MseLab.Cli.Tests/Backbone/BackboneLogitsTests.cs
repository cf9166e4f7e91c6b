using System.Text.Json;
using MseLab.Cli.Tests.Infrastructure;
using MseLab.TestSupport;
using static TorchSharp.torch;

namespace MseLab.Cli.Tests.Backbone;

/// <summary>mselab backbone logits against an independent PyTorch implementation of HF Llama (Reference/llama_reference.py).</summary>
public sealed class BackboneLogitsTests : IDisposable
{
    private const string Ids = "1,5,9,33,2,96,0,41";
    private readonly string _dir = Directory.CreateTempSubdirectory("mselab-logits-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string, bool, int, bool> Variants => new()
    {
        { "F32", false, 2, false },     // grouped-query attention, untied head
        { "F32", true, 4, false },      // multi-head attention, tied head
        { "BF16", false, 1, false },    // multi-query attention, bf16 weights
        { "F16", false, 2, true },      // fp16 weights, sharded checkpoint
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Logits_AnyCheckpointVariant_EqualIndependentPyTorchWithin1e4(string storedType, bool tied, int kvHeads, bool sharded)
    {
        var dtype = storedType switch { "BF16" => ScalarType.BFloat16, "F16" => ScalarType.Float16, _ => ScalarType.Float32 };
        var model = TestCheckpoints.Write(Path.Combine(_dir, "m"), TestCheckpoints.SmallConfig(tied, kvHeads), dtype, sharded: sharded);

        var ours = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", Ids, "--json");
        var reference = ProcessRunner.PythonScript("llama_reference.py", model, Ids);

        Assert.True(ours.ExitCode == 0, ours.StandardError);
        Assert.True(reference.ExitCode == 0, reference.StandardError);
        var a = ReadLogits(ours.StandardOutput);
        var b = ReadLogits(reference.StandardOutput);
        Assert.Equal(8, a.Length);
        Assert.Equal(b.Length, a.Length);
        var maxDiff = a.Zip(b).SelectMany(rows => rows.First.Zip(rows.Second, (x, y) => Math.Abs(x - y))).Max();
        Assert.True(maxDiff < 1e-4, $"max |logit difference| {maxDiff}");
        // The comparison is not vacuous: logits vary across positions and vocabulary.
        Assert.True(a.SelectMany(r => r).Max() - a.SelectMany(r => r).Min() > 0.1);
    }

    [Fact]
    public void Logits_Bf16_CloseToFp32ButNotEqual_AndAnUnknownDTypeIsRefused()
    {
        var model = TestCheckpoints.Write(Path.Combine(_dir, "m"), TestCheckpoints.SmallConfig());

        var fp32 = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", Ids, "--json");
        var bf16 = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", Ids, "--json", "--dtype", "bf16");
        var bad = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", Ids, "--dtype", "fp8");

        Assert.True(fp32.ExitCode == 0, fp32.StandardError);
        Assert.True(bf16.ExitCode == 0, bf16.StandardError);
        var diffs = ReadLogits(fp32.StandardOutput).Zip(ReadLogits(bf16.StandardOutput)).SelectMany(r => r.First.Zip(r.Second, (x, y) => Math.Abs(x - y))).ToList();
        Assert.True(diffs.Max() > 0, "bf16 computed exactly the fp32 logits: the dtype was not applied");
        Assert.True(diffs.Max() < 0.25, $"bf16 logits differ from fp32 by {diffs.Max()}");
        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("--dtype", bad.StandardOutput + bad.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Logits_MissingDirectory_FailsWithHint()
    {
        var result = ProcessRunner.Mselab("backbone", "logits", "--model", Path.Combine(_dir, "nope"), "--ids", "1,2", "--json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("does not exist", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("create-tiny", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Logits_BadIds_FailsNamingTheOption()
    {
        var model = TestCheckpoints.Write(Path.Combine(_dir, "m"), TestCheckpoints.SmallConfig());

        var result = ProcessRunner.Mselab("backbone", "logits", "--model", model, "--ids", "1,x", "--json");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--ids", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
    }

    private static double[][] ReadLogits(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("logits").EnumerateArray()
            .Select(row => row.EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToArray();
    }
}
