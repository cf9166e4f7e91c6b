using MseLab.Experiments.Trials;
using MseLab.TestSupport;
using MseLab.Training.Backbones;
using MseLab.Training.Trials;
using MseLab.Experiments.Backbones;
using MseLab.Experiments.Datasets;
using MseLab.Experiments.Metrics;

namespace MseLab.Training.Tests.Trials;

public sealed class TrialRunnerTests : IDisposable
{
    private readonly string _dir = System.IO.Directory.CreateTempSubdirectory("mselab-trial-").FullName;

    public void Dispose() => System.IO.Directory.Delete(_dir, recursive: true);

    private static TrialConfig Small(string dataset = "synthetic:mosei?train=96&valid=32&test=32", int? maxEpochs = 3) => new()
    {
        Backbone = BackboneRef.Parse(TinyBackbones.Directory),
        Dataset = DatasetRef.Parse(dataset),
        Seed = 1111,
        LearningRate = 5e-3,
        WarmUpEpochs = 2,
        MaxEpochs = maxEpochs,
    };

    [Fact]
    public void Run_SyntheticMosei_LearnsThePlantedSignal()
    {
        var result = Run(Small("synthetic:mosei", maxEpochs: 6), Path.Combine(_dir, "run"));

        // Chance is 0.5: only audio and video carry the label, so the adapter must have steered the frozen LM.
        Assert.True(result.Test["has0_acc2"] >= 0.85, $"test Has0 Acc-2 {result.Test["has0_acc2"]}");
        Assert.True(result.Epochs[^1].TrainLoss < result.Epochs[0].TrainLoss);
    }

    [Fact]
    public void Run_SameSeedTwice_GivesBitIdenticalMetricsAndCurves()
    {
        var a = Run(Small(), Path.Combine(_dir, "a"));
        var b = Run(Small(), Path.Combine(_dir, "b"));

        Assert.Equal(a.Test, b.Test);
        Assert.Equal(a.Epochs.Select(e => e.TrainLoss), b.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(a.Epochs.Select(e => e.Validation), b.Epochs.Select(e => e.Validation));
    }

    [Fact]
    public void Run_WhileAnotherThreadLoadsBackbones_GivesTheCurvesOfARunAlone()
    {
        // Another trial of the same process loading its backbone draws from torch's global generator (module
        // constructors initialise weights); that must not change this trial's initial adapter.
        var config = Small(maxEpochs: 1);
        var alone = Run(config, Path.Combine(_dir, "alone"));
        using var stop = new CancellationTokenSource();
        var loads = 0;
        var loader = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var backbone = MseLab.Models.Llama.LlamaLoader.Load(TinyBackbones.Directory);
                loads++;
            }
        });
        loader.Start();

        var sideBySide = Run(config, Path.Combine(_dir, "side-by-side"));
        stop.Cancel();
        loader.Join();

        Assert.True(loads > 0);
        Assert.Equal(alone.Epochs.Select(e => e.TrainLoss), sideBySide.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(alone.Test, sideBySide.Test);
    }

    [Fact]
    public void Run_OtherSeed_GivesOtherCurves()
    {
        var a = Run(Small(), Path.Combine(_dir, "a"));
        var b = Run(Small() with { Seed = 2222 }, Path.Combine(_dir, "b"));

        Assert.NotEqual(a.Epochs.Select(e => e.TrainLoss), b.Epochs.Select(e => e.TrainLoss));
    }

    [Fact]
    public void Run_CancelledMidEpochThenResumed_EqualsUninterruptedRunBitForBit()
    {
        var reference = Run(Small(), Path.Combine(_dir, "reference"));

        var resumedDir = Path.Combine(_dir, "resumed");
        using var cancel = new CancellationTokenSource();
        var stopInEpoch2 = new InlineProgress(p =>
        {
            if (p.Phase == TrialPhase.Training && p.Epoch == 2 && p.Step == 5)
            {
                cancel.Cancel();
            }
        });
        Assert.ThrowsAny<OperationCanceledException>(() => new TrialRunner(stopInEpoch2).Run(Small(), resumedDir, cancel.Token));
        Assert.False(File.Exists(Path.Combine(resumedDir, TrialRunner.ResultFile)));

        var resumed = Run(Small(), resumedDir);

        Assert.Equal(reference.Test, resumed.Test);
        Assert.Equal(reference.BestEpoch, resumed.BestEpoch);
        Assert.Equal(reference.Epochs.Select(e => e.TrainLoss), resumed.Epochs.Select(e => e.TrainLoss));
        Assert.Equal(reference.Epochs.Select(e => e.Validation), resumed.Epochs.Select(e => e.Validation));
    }

    [Fact]
    public void Run_FinishedTrial_ReturnsStoredResultWithoutRetraining()
    {
        var dir = Path.Combine(_dir, "done");
        var first = Run(Small(maxEpochs: 1), dir);
        var trainingSteps = 0;
        var again = new TrialRunner(new InlineProgress(p => trainingSteps += p.Phase == TrialPhase.Training ? 1 : 0)).Run(Small(maxEpochs: 1), dir, TestContext.Current.CancellationToken);

        Assert.Equal(0, trainingSteps);
        Assert.Equal(first.Test, again.Test);
    }

    [Fact]
    public void TrainEpoch_FrozenBackbone_StaysBitIdenticalAndGetsNoGradients()
    {
        var config = Small(maxEpochs: 1);
        using var session = TrialSession.Open(TrialDefaults.Resolve(config), TinyBackbones.Directory);
        var before = session.Backbone.NamedWeights().Select(w => (w.Name, Value: w.Value.clone())).ToList();
        var store = new CheckpointStore(Path.Combine(_dir, "checkpoint"));
        var state = new TrialState { ConfigHash = session.Trial.Hash(), ShuffleSeed = 1 };

        var (loss, steps, _) = session.TrainEpoch(1, state, store, null, TestContext.Current.CancellationToken);

        Assert.True(steps > 1 && double.IsFinite(loss));
        foreach (var ((name, original), (_, now)) in before.Zip(session.Backbone.NamedWeights()))
        {
            Assert.True(original.eq(now).all().item<bool>(), $"{name} changed during training");
            Assert.False(now.requires_grad);
            Assert.Null(now.grad);
        }

        // The adapter did train.
        Assert.Equal(steps, session.Optimizer.Step);
    }

    [Fact]
    public void Run_HugeLearningRate_FailsWithNaNLossMessage()
    {
        var error = Assert.Throws<TrialFailedException>(() => Run(Small() with { LearningRate = 1e30 }, Path.Combine(_dir, "nan")));

        Assert.Contains("Lower the learning rate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Meld_ReportsClassificationMetrics()
    {
        var result = Run(Small("synthetic:meld?train=48&valid=16&test=16", maxEpochs: 1), Path.Combine(_dir, "meld"));

        Assert.Equal(["acc", "weighted_f1"], result.Test.Keys);
        Assert.Equal(MetricsTask.Meld, result.Trial.Task);
        Assert.Equal(6, result.Trial.BatchSize);   // the paper's LLaMA2 MELD batch size
    }

    [Fact]
    public async Task Run_TwoTrialsSharingOneBackbone_GiveTheMetricsOfEachAlone()
    {
        var configs = new[] { Small(maxEpochs: 2), Small(maxEpochs: 2) with { Seed = 2222, LearningRate = 3e-3 } };
        var alone = configs.Select((c, i) => new TrialRunner(pool: new BackbonePool()).Run(c, Path.Combine(_dir, $"alone{i}"), TestContext.Current.CancellationToken)).ToList();
        var loads = 0;
        var pool = new BackbonePool(key =>
        {
            Interlocked.Increment(ref loads);
            return MseLab.Models.Backbones.BackboneLoader.Load(key.Directory, key.Family, key.DType);
        });

        var together = configs.Select((c, i) => Task.Run(() => new TrialRunner(pool: pool).Run(c, Path.Combine(_dir, $"together{i}"), TestContext.Current.CancellationToken), TestContext.Current.CancellationToken))
            .ToArray();
        var results = await Task.WhenAll(together);

        Assert.Equal(1, loads);
        Assert.Equal(0, pool.Count);   // released by both trials
        for (var i = 0; i < configs.Length; i++)
        {
            Assert.Equal(alone[i].Test, results[i].Test);
            Assert.Equal(alone[i].Epochs.Select(e => e.TrainLoss), results[i].Epochs.Select(e => e.TrainLoss));
            Assert.Equal(alone[i].Epochs.Select(e => e.Validation), results[i].Epochs.Select(e => e.Validation));
        }
    }

    private static TrialResult Run(TrialConfig config, string dir) => new TrialRunner().Run(config, dir, TestContext.Current.CancellationToken);

    private sealed class InlineProgress(Action<TrialProgress> report) : IProgress<TrialProgress>
    {
        public void Report(TrialProgress value) => report(value);
    }
}
