namespace MseLab.Models.Prompting;

/// <summary>Text encoded with <c>addSpecialTokens: false</c> (Hugging Face <c>add_special_tokens=False</c>).</summary>
public sealed record TextWithoutSpecialTokens(string Text) : PromptSegment;
