using MseLab.Experiments.Backbones;
using MseLab.Experiments.Trials;
using MseLab.Models.Backbones;
using MseLab.Training.Backbones;
using static TorchSharp.torch;

namespace MseLab.Training.Tests.Backbones;

public sealed class BackbonePoolTests
{
    private static readonly BackboneKey Key = new("/models/a", BackboneFamily.Llama2, ScalarType.Float32, "cpu");

    [Fact]
    public void Acquire_SameKeyTwice_SharesOneInstanceUntilTheLastLeaseEnds()
    {
        var loads = new List<CountingBackbone>();
        var pool = new BackbonePool(_ => Add(loads, new CountingBackbone()));

        var first = pool.Acquire(Key);
        var second = pool.Acquire(Key with { });

        Assert.Same(first.Backbone, second.Backbone);
        Assert.Single(loads);
        first.Dispose();
        first.Dispose();   // a lease ends once
        Assert.False(loads[0].Disposed);
        second.Dispose();
        Assert.True(loads[0].Disposed);
        Assert.Equal(0, pool.Count);
    }

    [Fact]
    public void Acquire_AfterTheLastLeaseEnded_LoadsAgain()
    {
        var loads = new List<CountingBackbone>();
        var pool = new BackbonePool(_ => Add(loads, new CountingBackbone()));

        pool.Acquire(Key).Dispose();
        using var again = pool.Acquire(Key);

        Assert.Equal(2, loads.Count);
        Assert.Same(loads[1], again.Backbone);
    }

    [Theory]
    [InlineData("dtype")]
    [InlineData("device")]
    [InlineData("folder")]
    public void Acquire_DifferentDtypeDeviceOrFolder_GivesAnotherInstance(string differs)
    {
        var pool = new BackbonePool(_ => new CountingBackbone());
        var other = differs switch
        {
            "dtype" => Key with { DType = ScalarType.BFloat16 },
            "device" => Key with { Device = "cuda:0" },
            _ => Key with { Directory = "/models/b" },
        };

        using var a = pool.Acquire(Key);
        using var b = pool.Acquire(other);

        Assert.NotSame(a.Backbone, b.Backbone);
        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void Of_RelativeAndAbsoluteSpellings_AreOneKey()
    {
        var relative = BackboneKey.Of("models/tiny", BackboneFamily.Llama2, TrialPrecision.Fp32, CPU);
        var absolute = BackboneKey.Of(Path.GetFullPath("models/tiny") + Path.DirectorySeparatorChar, BackboneFamily.Llama2, TrialPrecision.Fp32, CPU);

        Assert.Equal(relative, absolute);
    }

    [Fact]
    public async Task Acquire_ConcurrentFirstRequests_LoadOnce()
    {
        var loads = 0;
        using var release = new ManualResetEventSlim();
        var pool = new BackbonePool(_ =>
        {
            Interlocked.Increment(ref loads);
            release.Wait(TimeSpan.FromSeconds(10));   // the load is slow: every thread asks while it runs
            return new CountingBackbone();
        });

        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() => pool.Acquire(Key), TestContext.Current.CancellationToken)).ToList();
        await Task.Delay(200, TestContext.Current.CancellationToken);
        release.Set();
        var leases = await Task.WhenAll(tasks);

        Assert.Equal(1, loads);
        Assert.All(leases, l => Assert.Same(leases[0].Backbone, l.Backbone));
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.True(((CountingBackbone)leases[0].Backbone).Disposed);
    }

    [Fact]
    public void Acquire_FailedLoad_IsNotCached()
    {
        var attempts = 0;
        var pool = new BackbonePool(_ => ++attempts == 1 ? throw new InvalidDataException("corrupt") : new CountingBackbone());

        Assert.Throws<InvalidDataException>(() => pool.Acquire(Key));
        Assert.Equal(0, pool.Count);
        using var lease = pool.Acquire(Key);

        Assert.Equal(2, attempts);
    }

    private static T Add<T>(List<T> list, T item)
    {
        lock (list)
        {
            list.Add(item);
        }

        return item;
    }

    [Theory]
    [InlineData("cuda:0", StepTurns.OnGpus, true)]
    [InlineData("cpu", StepTurns.OnGpus, false)]
    [InlineData("cpu", StepTurns.Always, true)]
    [InlineData("cuda:0", StepTurns.Never, false)]
    public async Task Turn_TwoLeasesOfOneBackbone_TakeTurnsWhereThePoolSaysSo(string device, StepTurns turns, bool exclusive)
    {
        var pool = new BackbonePool(_ => new CountingBackbone(), turns);
        using var first = pool.Acquire(Key with { Device = device });
        using var second = pool.Acquire(Key with { Device = device });

        var held = first.Turn();
        var other = Task.Run(() => second.Turn(), TestContext.Current.CancellationToken);
        var finishedWhileHeld = await Task.WhenAny(other, Task.Delay(300, TestContext.Current.CancellationToken)) == other;
        held.Dispose();
        (await other).Dispose();

        Assert.Equal(!exclusive, finishedWhileHeld);
    }

    [Fact]
    public async Task Turn_LeasesOfDifferentBackbones_DoNotWaitForEachOther()
    {
        var pool = new BackbonePool(_ => new CountingBackbone(), StepTurns.Always);
        using var first = pool.Acquire(Key);
        using var second = pool.Acquire(Key with { Directory = "/models/b" });

        using var held = first.Turn();
        var other = Task.Run(() => second.Turn(), TestContext.Current.CancellationToken);

        Assert.Same(other, await Task.WhenAny(other, Task.Delay(5000, TestContext.Current.CancellationToken)));
        (await other).Dispose();
    }

    private sealed class CountingBackbone : ICausalBackbone
    {
        public bool Disposed { get; private set; }

        public int HiddenSize => 4;

        public int VocabSize => 8;

        public int Layers => 1;

        public ScalarType DType => ScalarType.Float32;

        public Device Device => CPU;

        public Tensor EmbedTokens(Tensor ids) => throw new NotSupportedException();

        public Tensor Forward(Tensor inputsEmbeds, KvCache? cache = null, long logitsFrom = 0) => throw new NotSupportedException();

        public IEnumerable<(string Name, Tensor Value)> NamedWeights() => [];

        public void Dispose() => Disposed = true;
    }
}
