using MseLab.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Training.Optimization;

/// <summary>
/// AdamW exactly as torch.optim.AdamW (decoupled weight decay, bias-corrected moments, eps added after the square
/// root). Written out so that its whole state (moments and step) is plain tensors we checkpoint and restore bit for bit.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly List<(string Name, Tensor Parameter)> _parameters;
    private readonly Tensor[] _expAvg;
    private readonly Tensor[] _expAvgSq;

    public AdamW(IEnumerable<(string Name, Tensor Parameter)> parameters, double eps = 1e-4, double weightDecay = 0.01, double beta1 = 0.9, double beta2 = 0.999)
    {
        _parameters = parameters.ToList();
        (Eps, WeightDecay, Beta1, Beta2) = (eps, weightDecay, beta1, beta2);
        _expAvg = _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope()).ToArray();
        _expAvgSq = _parameters.Select(p => zeros_like(p.Parameter).DetachFromDisposeScope()).ToArray();
    }

    public double Eps { get; }

    public double WeightDecay { get; }

    public double Beta1 { get; }

    public double Beta2 { get; }

    /// <summary>Number of updates taken so far.</summary>
    public long Step { get; private set; }

    /// <summary>One update with learning rate <paramref name="lr"/>; parameters without a gradient are skipped, as in PyTorch.</summary>
    public void Update(double lr)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Step++;
        var biasCorrection1 = 1 - Math.Pow(Beta1, Step);
        var biasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, Step));
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i].Parameter;
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            // Explicit Scalars with using: an implicit double-to-Scalar temporary can be finalized by the GC while
            // libtorch still reads it (TorchSharp does not keep it alive across the native call).
            using var decay = (1 - (lr * WeightDecay)).ToScalar();
            using var beta1 = Beta1.ToScalar();
            using var oneMinusBeta1 = (1 - Beta1).ToScalar();
            using var beta2 = Beta2.ToScalar();
            using var oneMinusBeta2 = (1 - Beta2).ToScalar();
            using var correction2 = biasCorrection2Sqrt.ToScalar();
            using var eps = Eps.ToScalar();
            using var stepSize = (-(lr / biasCorrection1)).ToScalar();
            parameter.mul_(decay);
            _expAvg[i].mul_(beta1).add_(grad, alpha: oneMinusBeta1);
            _expAvgSq[i].mul_(beta2).addcmul_(grad, grad, oneMinusBeta2);
            var denom = _expAvgSq[i].sqrt().div_(correction2).PlusInPlace(eps);
            parameter.addcdiv_(_expAvg[i], denom, value: stepSize);
        }
    }

    /// <summary>Clears every gradient (set to none).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, parameter) in _parameters)
        {
            parameter.grad?.Dispose();
            parameter.grad = null;
        }
    }

    /// <summary>The optimizer state as named tensors (moments), for checkpoints.</summary>
    public IEnumerable<(string Name, Tensor Value)> State() =>
        _parameters.SelectMany((p, i) => new[] { ($"exp_avg.{p.Name}", _expAvg[i]), ($"exp_avg_sq.{p.Name}", _expAvgSq[i]) });

    /// <summary>Restores moments and step from a checkpoint; every moment must be present.</summary>
    public void Restore(IReadOnlyDictionary<string, Tensor> state, long step)
    {
        using var noGrad = no_grad();
        for (var i = 0; i < _parameters.Count; i++)
        {
            _expAvg[i].copy_(Find(state, $"exp_avg.{_parameters[i].Name}"));
            _expAvgSq[i].copy_(Find(state, $"exp_avg_sq.{_parameters[i].Name}"));
        }

        Step = step;
    }

    public void Dispose()
    {
        foreach (var t in _expAvg.Concat(_expAvgSq))
        {
            t.Dispose();
        }
    }

    private static Tensor Find(IReadOnlyDictionary<string, Tensor> state, string name) =>
        state.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"The checkpoint's optimizer state lacks '{name}'. Delete the checkpoint folder to start the trial afresh.");
}
