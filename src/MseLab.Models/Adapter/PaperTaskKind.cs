namespace MseLab.Models.Adapter;

/// <summary>What a paper dataset asks the LLM to generate.</summary>
public enum PaperTaskKind
{
    /// <summary>A sentiment intensity printed with one decimal (MOSEI, SIMS-V2).</summary>
    Regression,

    /// <summary>An emotion class index printed as an integer (MELD, CHERMA).</summary>
    Classification,
}
