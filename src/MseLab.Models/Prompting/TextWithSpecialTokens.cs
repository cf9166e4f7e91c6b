namespace MseLab.Models.Prompting;

/// <summary>
/// Text encoded with <c>addSpecialTokens: true</c>, exactly as the official code calls the tokenizer with
/// <c>add_special_tokens=True</c>; the tokenizer decides what it adds (LLaMA-2: <c>&lt;s&gt;</c>; Qwen-1: nothing).
/// </summary>
public sealed record TextWithSpecialTokens(string Text) : PromptSegment;
