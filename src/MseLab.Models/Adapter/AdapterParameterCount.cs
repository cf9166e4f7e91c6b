namespace MseLab.Models.Adapter;

/// <summary>Trainable-parameter count of an adapter, in total and per block (in module order).</summary>
/// <param name="Total">Sum over <paramref name="Modules"/>.</param>
/// <param name="Modules">One entry per top-level block: audio_LSTM, video_LSTM, text_guide_mixer, mutli_scale_fusion.</param>
public sealed record AdapterParameterCount(long Total, IReadOnlyList<ModuleParameterCount> Modules);
