namespace Pmh.MaternalChild.Domain;

/// <summary>A registered pregnancy as the rules see it.</summary>
public sealed record PregnancyFacts(string RecordId, DateOnly RegisteredOn, DateOnly DueDate, DateOnly? EndedOn);

/// <summary>A voucher use as the rules see it.</summary>
public sealed record VoucherUse(string PregnancyRecordId, int VoucherNumber, DateOnly UsedOn);

public enum VoucherStatus { Unused, Used, Closed }

public sealed record VoucherEntitlement(string VoucherId, int Number, VoucherStatus Status, DateOnly? UsedOn);

public sealed record PregnancyEntitlement(
    string RecordId, DateOnly DueDate, bool IsOpen, int Total, int Used, int Left, IReadOnlyList<VoucherEntitlement> Vouchers);

public enum CheckupStatus { Done, Due, NotYetDue, PastWindow }

public sealed record InfantCheckupEntitlement(string Checkup, string Name, DateOnly WindowFrom, DateOnly WindowUntil, CheckupStatus Status, DateOnly? DoneOn);
