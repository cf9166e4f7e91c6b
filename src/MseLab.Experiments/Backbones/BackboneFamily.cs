namespace MseLab.Experiments.Backbones;

/// <summary>The frozen LLM families MSE-Adapter was published with. A backbone's family comes from its config.json.</summary>
public enum BackboneFamily
{
    /// <summary>LLaMA-2 (<c>model_type: llama</c>; the paper's LLaMA2-7B), SentencePiece BPE tokenizer.</summary>
    Llama2,

    /// <summary>Qwen-1 (<c>model_type: qwen</c>; the paper's Qwen-1.8B), tiktoken.</summary>
    Qwen1,

    /// <summary>ChatGLM3 (<c>model_type: chatglm</c>; the paper's ChatGLM3-6B-base), SentencePiece tokenizer.model.</summary>
    ChatGLM3,
}
