namespace Pmh.Modules.Batches;

/// <summary>A refused row: its index in the batch (0 for the first row), the field and the reason.</summary>
public sealed record RowRejection(int Index, string Field, string Reason);
