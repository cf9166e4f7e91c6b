using MseLab.Models.Checkpoints;
using MseLab.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MseLab.Models.ChatGlm.Module;

/// <summary>
/// ChatGLM's rotary embedding (modeling_chatglm.py <c>RotaryEmbedding.forward_impl</c> and <c>apply_rotary_pos_emb</c>):
/// only the first d/2 dims of each head rotate, as interleaved pairs (x[2i], x[2i+1]) with theta_i =
/// 1/base^(2i/(d/2)), base = 10000 * rope_ratio; the other d/2 dims pass through. The table covers seq_length positions
/// (a longer sequence is an error, as indexing it is in the remote code). The cos/sin values are rounded to the
/// precision the remote code keeps them in (<see cref="ChatGlmConfig.RopeTableType"/>). Non-persistent buffers, so the
/// state dict holds no rotary tensor (the checkpoint's <c>inv_freq</c> is skipped on load); built for the meta device,
/// they are computed on <see cref="EmptyWeights.BufferDevice"/> and the checkpoint loader moves them to the target device.
/// </summary>
public sealed class ChatGlmRotaryEmbedding : nn.Module
{
    private readonly Tensor _cos;
    private readonly Tensor _sin;

    public ChatGlmRotaryEmbedding(ChatGlmConfig config, ScalarType runType, Device device) : base(nameof(ChatGlmRotaryEmbedding))
    {
        using var scope = NewDisposeScope();
        var rotaryDims = config.KvChannels / 2;                               // n_elem: the rotated dims
        using Scalar zero = 0.ToScalar(), one = 1.ToScalar(), two = 2.ToScalar(), dims = rotaryDims.ToScalar(), end = config.SeqLength.ToScalar();
        var exponents = arange(zero, dims, two, dtype: ScalarType.Float32).div(dims);    // 2i / (d/2), float32 as the remote code
        using var baseTensor = tensor((float)(10000.0 * config.RopeRatio));
        var theta = pow(baseTensor, exponents).reciprocal();                 // (d/4)
        var positions = arange(zero, end, one, dtype: ScalarType.Float32);
        var angles = outer(positions, theta);                                 // (seq_length, d/4)
        var tableType = config.RopeTableType(runType);
        _cos = angles.cos().to(tableType).to(ScalarType.Float32).to(EmptyWeights.BufferDevice(device)).DetachFromDisposeScope();
        _sin = angles.sin().to(tableType).to(ScalarType.Float32).to(EmptyWeights.BufferDevice(device)).DetachFromDisposeScope();
        register_buffer("cos_cached", _cos, persistent: false);
        register_buffer("sin_cached", _sin, persistent: false);
    }

    // The tables are registered above as non-persistent buffers; a parent's RegisterComponents must not add the
    // fields again as persistent ones, which would put rotary tensors into the state dict.
    protected override void RegisterComponents()
    {
    }

    /// <summary>Number of positions the table covers (config seq_length).</summary>
    public long Positions => _cos.shape[0];

    /// <summary>cos and sin for positions [start, start+length): each (length, d/4) in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Tables(long start, long length, ScalarType dtype)
    {
        if (start + length > Positions)
        {
            throw new ArgumentException(
                $"The sequence needs {start + length} positions but the ChatGLM3 config.json has seq_length = {Positions}, the length of its " +
                "rotary table (the remote code fails the same way). Shorten the prompt or the generation, or use a checkpoint with a larger seq_length.");
        }

        return (_cos.narrow(0, start, length).to(dtype), _sin.narrow(0, start, length).to(dtype));
    }

    /// <summary>Rotates the first d/2 dims of x (B, heads, T, d) as interleaved pairs; cos, sin are (T, d/4).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var d = x.shape[^1];
        var rotated = d / 2;
        var pairs = x.narrow(-1, 0, rotated).reshape([.. x.shape[..^1], rotated / 2, 2]);   // (B, h, T, d/4, 2)
        var even = pairs.select(-1, 0);                                              // x[2i]
        var odd = pairs.select(-1, 1);                                               // x[2i+1]
        var outEven = (even * cos) - (odd * sin);
        var outOdd = (odd * cos).PlusInPlace(even * sin);
        var turned = stack([outEven, outOdd], dim: -1).reshape([.. x.shape[..^1], rotated]);   // (B, h, T, d/2), pairs interleaved again
        return cat([turned, x.narrow(-1, rotated, d - rotated)], dim: -1).MoveToOuterDisposeScope();
    }
}
