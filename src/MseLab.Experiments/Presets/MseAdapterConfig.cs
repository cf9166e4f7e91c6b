namespace MseLab.Experiments.Presets;

/// <summary>
/// Sizes of one MSE-Adapter (arXiv 2502.12478; official code: AZYoung233/MSE-Adapter, <c>models/multiTask/CMCM.py</c>).
/// Only the sizes vary between backbones and datasets; the fusion width and the scale divisors are fixed by the paper.
/// </summary>
/// <param name="HiddenSize">D: the frozen LLM's hidden size (4096 for LLaMA2-7B and ChatGLM3-6B, 2048 for Qwen-1.8B).</param>
/// <param name="PseudoTokens">P: the number of pseudo tokens the adapter emits.</param>
/// <param name="AudioFeatureDim">d_a: width of one audio frame (e.g. 74 for MOSEI COVAREP).</param>
/// <param name="VideoFeatureDim">d_v: width of one video frame (e.g. 35 for MOSEI Facet).</param>
/// <param name="AudioHidden">H_a: hidden size of the audio LSTM.</param>
/// <param name="VideoHidden">H_v: hidden size of the video LSTM.</param>
public sealed record MseAdapterConfig(
    int HiddenSize,
    int PseudoTokens,
    int AudioFeatureDim,
    int VideoFeatureDim,
    int AudioHidden,
    int VideoHidden)
{
    /// <summary>Width of the modality vectors, the text-guide vector and the fused vector (hard-coded 256 in the official code).</summary>
    public const int FusionSize = 256;

    /// <summary>
    /// Divisors k of the three multi-scale branches, in branch order (<c>scale1</c>, <c>scale2</c>, <c>scale3</c>):
    /// each branch's bottleneck width is <see cref="HiddenSize"/> / k.
    /// </summary>
    public static IReadOnlyList<int> Scales { get; } = [8, 32, 16];

    /// <summary>Bottleneck width of multi-scale branch <paramref name="branch"/> (0, 1 or 2): D / k.</summary>
    public int ScaleHidden(int branch) => HiddenSize / Scales[branch];

    /// <summary>Throws <see cref="ArgumentException"/> naming every size that cannot build an adapter.</summary>
    public void Validate()
    {
        var problems = new List<string>();
        CheckPositive(problems, nameof(HiddenSize), HiddenSize);
        CheckPositive(problems, nameof(PseudoTokens), PseudoTokens);
        CheckPositive(problems, nameof(AudioFeatureDim), AudioFeatureDim);
        CheckPositive(problems, nameof(VideoFeatureDim), VideoFeatureDim);
        CheckPositive(problems, nameof(AudioHidden), AudioHidden);
        CheckPositive(problems, nameof(VideoHidden), VideoHidden);
        if (HiddenSize > 0)
        {
            foreach (var k in Scales.Where(k => HiddenSize % k != 0))
            {
                // The official code floors D // k silently; a non-divisible D would give a different adapter, so refuse it.
                problems.Add($"HiddenSize = {HiddenSize} is not divisible by the multi-scale divisor {k} " +
                             $"(branch widths are D/k for k in {string.Join(", ", Scales)}); use a multiple of {Scales.Max()}.");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid {nameof(MseAdapterConfig)} {this}: {string.Join(" ", problems)}");
        }
    }

    private static void CheckPositive(List<string> problems, string name, int value)
    {
        if (value < 1)
        {
            problems.Add($"{name} = {value} must be at least 1.");
        }
    }
}
