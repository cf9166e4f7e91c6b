using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Trials;
using MseLab.TestSupport;
using MseLab.Training.Trials;
using static TorchSharp.torch;

namespace MseLab.Training.Tests.Trials;

public sealed class TrialPrecisionTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("mselab-precision-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private static ResolvedTrial Trial(TrialPrecision precision) => TrialDefaults.Resolve(new TrialConfig
    {
        Backbone = BackboneRef.Parse(TinyBackbones.Directory),
        Dataset = DatasetRef.Parse("synthetic:mosei?train=24&valid=8&test=8"),
        Seed = 5,
        LearningRate = 5e-3,
        WarmUpEpochs = 2,
        MaxEpochs = 1,
        Precision = precision,
    });

    [Fact]
    public void Open_PaperOnCpu_RoundsTheFrozenWeightsThroughBf16AndComputesInFp32()
    {
        using var exact = TrialSession.Open(Trial(TrialPrecision.Fp32), TinyBackbones.Directory);
        using var paper = TrialSession.Open(Trial(TrialPrecision.Paper), TinyBackbones.Directory);

        Assert.Equal(ScalarType.Float32, paper.Backbone.DType);
        var changed = 0;
        foreach (var ((name, original), (_, rounded)) in exact.Backbone.NamedWeights().Zip(paper.Backbone.NamedWeights()))
        {
            using var expected = original.to(ScalarType.BFloat16).to(ScalarType.Float16).to(ScalarType.Float32);
            Assert.True(Same(expected, rounded), $"{name} is not the bf16 -> fp16 rounding of the checkpoint");
            changed += Same(original, rounded) ? 0 : 1;
        }

        Assert.True(changed > 0, "the tiny checkpoint's fp32 weights should change when rounded");
    }

    [Fact]
    public void TrainEpoch_PaperOnCpu_TrainsWithoutLossScalingAndKeepsTheRoundedWeights()
    {
        using var session = TrialSession.Open(Trial(TrialPrecision.Paper), TinyBackbones.Directory);
        var before = session.Backbone.NamedWeights().Select(w => w.Value.clone()).ToList();
        var state = new TrialState { ConfigHash = session.Trial.Hash(), ShuffleSeed = 1 };

        var (loss, steps, _) = session.TrainEpoch(1, state, new CheckpointStore(Path.Combine(_dir, "c")), null, TestContext.Current.CancellationToken);

        Assert.True(double.IsFinite(loss));
        Assert.Equal(steps, session.Optimizer.Step);   // no step skipped: the CPU has no fp16 compute, hence no scaler
        Assert.All(before.Zip(session.Backbone.NamedWeights()), pair => Assert.True(Same(pair.First, pair.Second.Value)));
    }

    private static bool Same(Tensor a, Tensor b) => a.data<float>().SequenceEqual(b.data<float>());
}
