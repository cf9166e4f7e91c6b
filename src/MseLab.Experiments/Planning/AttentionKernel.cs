namespace MseLab.Experiments.Planning;

/// <summary>How a backbone's attention computes, which decides what its backward pass keeps.</summary>
public enum AttentionKernel
{
    /// <summary>A fused kernel (<c>scaled_dot_product_attention</c>: MseLab's LLaMA): keeps q, k, v and the output, no score matrix.</summary>
    Fused,

    /// <summary>Scores, softmax and a second matmul by hand (MseLab's Qwen-1 and ChatGLM3): keeps the (heads x T x T) probabilities.</summary>
    Math,
}
