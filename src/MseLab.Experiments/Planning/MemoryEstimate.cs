namespace MseLab.Experiments.Planning;

/// <summary>
/// The device memory one trial needs, by part, in bytes. Training and evaluation do not overlap (evaluation runs
/// between epochs), so the peak holds the larger of the two working sets beside what stays resident.
/// </summary>
/// <param name="Weights">The frozen backbone's parameters in the dtype the trial holds them in.</param>
/// <param name="Adapter">The adapter's parameters, their gradients and AdamW's two moments (all fp32).</param>
/// <param name="TrainActivations">What the training forward keeps for the backward pass through the frozen backbone to the pseudo tokens, plus one layer's backward working set.</param>
/// <param name="EvalActivations">One layer's working set of the generation's first forward over the whole prompt (no gradients).</param>
/// <param name="KvCache">Keys and values of every layer for the evaluation batch, prompt plus generated tokens.</param>
/// <param name="Runtime">The framework's own share (CUDA context and workspaces; on the CPU the process's libraries and heaps).</param>
public sealed record MemoryEstimate(long Weights, long Adapter, long TrainActivations, long EvalActivations, long KvCache, long Runtime)
{
    private const double BytesPerGb = 1024d * 1024 * 1024;

    /// <summary>The peak: resident parts plus the larger of training and evaluation.</summary>
    public long Peak => Weights + Adapter + Runtime + Math.Max(TrainActivations, EvalActivations + KvCache);

    /// <summary>The peak without <see cref="Runtime"/>: the tensors alone.</summary>
    public long Tensors => Peak - Runtime;

    /// <summary><see cref="Peak"/> in GB (GiB), as <c>memory_gb</c> and <c>--devices cuda:0=GB</c> count.</summary>
    public double PeakGb => Peak / BytesPerGb;

    /// <summary>Bytes in GB (GiB).</summary>
    public static double Gb(long bytes) => bytes / BytesPerGb;
}
