using MseLab.TestSupport;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace MseLab.Models.Tests.Adapter;

/// <summary>
/// Checks forward and backward against an independent PyTorch 1.13 implementation (adapter_reference.py) run by
/// Debian's /usr/bin/python3 (python3-torch, installed by scripts/test.sh).
/// </summary>
public sealed class MseAdapterPyTorchReferenceTests : IDisposable
{
    private readonly string _workDir = Directory.CreateTempSubdirectory("mselab-adapter-ref-").FullName;

    public void Dispose() => Directory.Delete(_workDir, recursive: true);

    [Fact]
    public void ForwardAndBackward_TinyAdapter_MatchPyTorchReference()
    {
        using var scope = NewDisposeScope();
        using var adapter = TinyAdapter.Create(seed: 21);
        // Unsorted lengths, a full-length sample and a zero length (counted as 1) in one batch.
        var input = TinyAdapter.Batch(audioLengths: [5, 0, 9], videoLengths: [2, 4, 1], seed: 22);
        var probe = randn(3, TinyAdapter.Config.PseudoTokens, TinyAdapter.Config.HiddenSize);

        var tokens = adapter.call(input);
        (tokens * probe).sum().backward();

        var paramsPath = Path.Combine(_workDir, "params.safetensors");
        var inputsPath = Path.Combine(_workDir, "inputs.safetensors");
        var outPath = Path.Combine(_workDir, "reference.safetensors");
        adapter.save_safetensors(paramsPath);
        SafetensorsFile.Write(inputsPath, new Dictionary<string, Tensor>
        {
            ["text"] = input.TextEmbeds,
            ["audio"] = input.Audio,
            ["audio_lengths"] = input.AudioLengths,
            ["video"] = input.Video,
            ["video_lengths"] = input.VideoLengths,
            ["probe"] = probe,
        });
        RunReference(paramsPath, inputsPath, outPath);
        var reference = SafetensorsFile.Read(outPath);

        AssertClose("pseudo_tokens", tokens, reference["pseudo_tokens"], rtol: 0, atol: 1e-5);
        foreach (var (name, parameter) in adapter.named_parameters())
        {
            AssertClose($"grad of {name}", parameter.grad!, reference["grad." + name], rtol: 1e-4, atol: 1e-5);
        }

        Assert.Equal(adapter.named_parameters().Count() + 1, reference.Count);
    }

    private static void AssertClose(string what, Tensor actual, Tensor expected, double rtol, double atol)
    {
        Assert.Equal(expected.shape, actual.shape);
        var diff = (actual.detach() - expected).abs().max().item<float>();
        Assert.True(actual.detach().allclose(expected, rtol, atol), $"{what}: max |C# - PyTorch| = {diff}");
    }

    private static void RunReference(string paramsPath, string inputsPath, string outPath) =>
        ChildProcess.RunPython(Path.Combine("Adapter", "adapter_reference.py"), [paramsPath, inputsPath, outPath]);
}
