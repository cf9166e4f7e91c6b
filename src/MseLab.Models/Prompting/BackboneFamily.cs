namespace MseLab.Models.Prompting;

/// <summary>The frozen LLM families MSE-Adapter was published with.</summary>
public enum BackboneFamily
{
    /// <summary>LLaMA2-7B (SentencePiece BPE tokenizer.json).</summary>
    Llama2,

    /// <summary>Qwen-1.8B (tiktoken).</summary>
    Qwen1,

    /// <summary>ChatGLM3-6B-base (SentencePiece tokenizer.model).</summary>
    ChatGLM3,
}
