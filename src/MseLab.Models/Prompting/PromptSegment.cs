namespace MseLab.Models.Prompting;

/// <summary>
/// One piece of the fixed prompt around the multimodal block, described as data so that one assembler can turn
/// any backbone's prompt into ids: <see cref="SpecialTokenEmbedding"/>, <see cref="TextWithSpecialTokens"/> or
/// <see cref="TextWithoutSpecialTokens"/>.
/// </summary>
public abstract record PromptSegment;
