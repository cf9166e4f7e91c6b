using MseLab.Experiments.Presets;
using MseLab.Models.Adapter;
using MseLab.Models.Runtime;
using MseLab.Training.Trials;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Training.Tests.Trials;

public sealed class SeededAdapterTests
{
    private static readonly MseAdapterConfig Config = new(HiddenSize: 64, PseudoTokens: 4, AudioFeatureDim: 5, VideoFeatureDim: 7, AudioHidden: 6, VideoHidden: 4);

    [Fact]
    public void Create_Cpu_EqualsAnAdapterBuiltOnTheCpuRightAfterSeeding()
    {
        using var created = SeededAdapter.Create(Config, 1234, CPU);
        MseAdapter expected;
        lock (TorchRuntime.RandomState)
        {
            manual_seed(1234);
            expected = new MseAdapter(Config, CPU);
        }

        using (expected)
        {
            AssertSameTensors(expected, created);
        }
    }

    [Fact]
    public void Create_OtherDevice_DrawsTheInitFromTheCpuGenerator()
    {
        // On 'meta' nothing is drawn when a module is built there directly; built on the CPU and then moved, the init
        // consumes the CPU generator exactly as a CPU adapter does, so the next CPU draw matches.
        float NextCpuDrawAfter(Device device)
        {
            lock (TorchRuntime.RandomState)
            {
                using var adapter = SeededAdapter.Create(Config, 99, device);
                Assert.All(adapter.parameters(), p => Assert.Equal(device.type, p.device.type));
                using var draw = rand(1);
                return draw.item<float>();
            }
        }

        float NextCpuDrawAfterSeedOnly()
        {
            lock (TorchRuntime.RandomState)
            {
                manual_seed(99);
                using var draw = rand(1);
                return draw.item<float>();
            }
        }

        Assert.Equal(NextCpuDrawAfter(CPU), NextCpuDrawAfter(device("meta")));
        Assert.NotEqual(NextCpuDrawAfterSeedOnly(), NextCpuDrawAfter(device("meta")));
    }

    [Fact]
    public void Create_Cuda_EqualsTheCpuAdapter()
    {
        Assert.SkipUnless(cuda.is_available(), "needs CUDA (TorchSharp's CPU build has none)");
        using var cpuAdapter = SeededAdapter.Create(Config, 7, CPU);
        using var cudaAdapter = SeededAdapter.Create(Config, 7, CUDA);
        Assert.All(cudaAdapter.parameters(), p => Assert.Equal(DeviceType.CUDA, p.device.type));

        AssertSameTensors(cpuAdapter, cudaAdapter);
    }

    private static void AssertSameTensors(MseAdapter expected, MseAdapter actual)
    {
        var left = expected.named_parameters().ToList();
        var right = actual.named_parameters().ToList();
        Assert.Equal(left.Select(p => p.name), right.Select(p => p.name));
        foreach (var ((name, a), (_, b)) in left.Zip(right))
        {
            Assert.True(a.cpu().data<float>().SequenceEqual(b.cpu().data<float>()), $"{name} differs");
        }
    }
}
