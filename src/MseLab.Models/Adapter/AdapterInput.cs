using TorchSharp;

namespace MseLab.Models.Adapter;

/// <summary>One batch for <see cref="MseAdapter"/>.</summary>
/// <param name="TextEmbeds">[B, L, D] embeddings of the left-padded text from the frozen LLM's input table (any float dtype; cast to float32).</param>
/// <param name="Audio">[B, T_a, d_a] padded audio features.</param>
/// <param name="AudioLengths">[B] true audio lengths (integer dtype, any device); values below 1 count as 1.</param>
/// <param name="Video">[B, T_v, d_v] padded video features.</param>
/// <param name="VideoLengths">[B] true video lengths (integer dtype, any device); values below 1 count as 1.</param>
public sealed record AdapterInput(
    torch.Tensor TextEmbeds,
    torch.Tensor Audio,
    torch.Tensor AudioLengths,
    torch.Tensor Video,
    torch.Tensor VideoLengths);
