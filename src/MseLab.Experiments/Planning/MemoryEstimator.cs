using MseLab.Experiments.Presets;
using MseLab.Experiments.Trials;

namespace MseLab.Experiments.Planning;

/// <summary>
/// Torch-free arithmetic for the device memory of one MSE-Adapter trial: the frozen weights, the adapter with its
/// gradients and AdamW state, the activations the backward pass through the frozen backbone keeps (only the adapter
/// trains, but the gradient reaches the pseudo tokens through every layer, so each layer keeps what its backward needs
/// for its input's gradient; frozen matrices keep nothing for their own), and the KV cache of generation at evaluation.
/// </summary>
public static class MemoryEstimator
{
    /// <summary>
    /// Prompt tokens besides the pseudo and text tokens: BOS, the &lt;Multimodal&gt; tags and the task prompt (35 to 40
    /// in the three tokenizers for the English and Chinese prompts); an upper bound.
    /// </summary>
    public const int PromptOverheadTokens = 40;

    /// <summary>CUDA context, cuBLAS workspace and the caching allocator's slack, as PyTorch and libtorch show on one GPU.</summary>
    public const long CudaRuntimeBytes = 768L << 20;

    /// <summary>
    /// A CPU trial's own memory besides its tensors (.NET heaps, tokenizer, prepared dataset, allocator slack), measured on
    /// the tiny preset, whose tensors are a few MB (<c>mselab bench plan</c>); the process's resident libraries before the trial are not counted.
    /// </summary>
    public const long CpuRuntimeBytes = 96L << 20;

    private const long Fp32 = 4, Fp16 = 2;

    /// <summary>The estimate for <paramref name="trial"/> on a backbone of <paramref name="shape"/>, on a <paramref name="deviceKind"/> device.</summary>
    public static MemoryEstimate Estimate(ResolvedTrial trial, BackboneShape shape, string deviceKind)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(shape);
        var cuda = string.Equals(deviceKind, "cuda", StringComparison.Ordinal);
        // Paper precision holds the backbone in fp16 and computes in it on CUDA; on the CPU weights are only rounded.
        var half = cuda && trial.Precision == TrialPrecision.Paper;
        var element = half ? Fp16 : Fp32;
        var context = ContextLength(trial);
        var labels = trial.MaxNewTokens;

        var adapter = AdapterParameters(trial, shape.HiddenSize) * Fp32 * 4;   // parameters, gradients, AdamW m and v
        var train = TrainActivationElements(shape, trial.BatchSize, context + labels, labels) * element;
        var eval = EvalActivationElements(shape, trial.EvalBatchSize, context) * element;
        var cache = 2 * shape.Layers * trial.EvalBatchSize * (context + trial.MaxNewTokens) * shape.KvHeads * shape.HeadDim * element;
        return new MemoryEstimate(shape.Parameters * element, adapter, train, eval, cache, cuda ? CudaRuntimeBytes : CpuRuntimeBytes);
    }

    /// <summary>Tokens before the labels: prompt overhead, pseudo tokens and the text (its fixed length L).</summary>
    public static int ContextLength(ResolvedTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return PromptOverheadTokens + trial.PseudoTokens + trial.TextLength;
    }

    /// <summary>The adapter's trainable parameters (spec 1.10: the two LSTMs with their projections, the text guide, the multi-scale fusion).</summary>
    public static long AdapterParameters(ResolvedTrial trial, long hiddenSize)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var info = trial.Dataset.Info;
        const long F = MseAdapterConfig.FusionSize;
        static long Lstm(long input, long hidden) => (4 * hidden * (input + hidden + 2)) + (F * hidden) + F;
        var fusion = MseAdapterConfig.Scales.Sum(k => (F * hiddenSize / k) + (hiddenSize / k) + (hiddenSize / k * F) + F) + 4 + (F * hiddenSize) + hiddenSize + (2L * trial.PseudoTokens);
        return Lstm(info.AudioDim, trial.AudioHidden) + Lstm(info.VideoDim, trial.VideoHidden) + (F * hiddenSize) + F + fusion;
    }

    // What autograd keeps per token and layer when only the input's gradient is wanted: the two RMSNorms' inputs and
    // normalised outputs (4D), attention's q, k, v and output (fused) or q, k, v and the probabilities (by hand), the
    // MLP's gate, its SiLU and up (3I). Plus the embeddings (text, pseudo, assembled: 3D) and the label logits with their
    // log-softmax; plus one layer's backward working set (gradients of the same tensors).
    private static long TrainActivationElements(BackboneShape s, long batch, long sequence, long labels)
    {
        var tokens = batch * sequence;
        var attention = AttentionWidth(s, sequence);
        var perLayer = (4 * s.HiddenSize) + attention + (3 * s.MlpWidth);
        var working = (2 * s.HiddenSize) + attention + (3 * s.MlpWidth);
        return (tokens * ((s.Layers * perLayer) + (3 * s.HiddenSize) + working)) + (2 * batch * (labels + 1) * s.VocabSize);
    }

    // Generation's first forward over the prompt holds one layer at a time: the residual, the normalised input, q, k, v,
    // the MLP branches (and the scores by hand), then the last position's logits.
    private static long EvalActivationElements(BackboneShape s, long batch, long context)
    {
        var tokens = batch * context;
        return (tokens * ((3 * s.HiddenSize) + AttentionWidth(s, context) + (3 * s.MlpWidth))) + (batch * s.VocabSize);
    }

    private static long AttentionWidth(BackboneShape s, long sequence) => s.Attention == AttentionKernel.Fused
        ? 4 * s.Heads * s.HeadDim
        : (3 * s.Heads * s.HeadDim) + (s.Heads * sequence);
}
