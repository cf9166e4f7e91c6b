namespace MseLab.Models.Adapter;

/// <summary>Trainable parameters of one top-level adapter block.</summary>
/// <param name="Name">State-dict prefix of the block (e.g. <c>audio_LSTM</c>, <c>mutli_scale_fusion</c>).</param>
/// <param name="Parameters">Number of scalar parameters that require a gradient.</param>
public sealed record ModuleParameterCount(string Name, long Parameters);
