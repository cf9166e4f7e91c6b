namespace MseLab.Models.Prompting;

/// <summary>
/// The embedding of one named token (looked up with <c>ITextTokenizer.TokenToId</c>), inserted as is; for
/// example LLaMA's explicit <c>&lt;s&gt;</c> or Qwen's <c>&lt;|im_start|&gt;</c>.
/// </summary>
public sealed record SpecialTokenEmbedding(string Token) : PromptSegment;
