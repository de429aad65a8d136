using Pmh.Modules.Participants;

namespace Pmh.Modules.Reception;

/// <summary>What a lookup knows of the check it serves. The person key stays inside the hub.</summary>
public sealed record ReceptionLookupContext(string PersonKey, DateOnly BirthDate, DateOnly ServiceDate, Participant Participant);

/// <summary>
/// One kind of data a reception check can return (subsidy certificates, vaccination records, …). Its
/// <see cref="Kind"/> is both the consent key the desk sends and the name of its part in the answer. A lookup is
/// asked only when the patient consented to its kind; adding one is a single <c>AddReceptionLookup&lt;T&gt;()</c>.
/// </summary>
public interface IReceptionLookup
{
    string Kind { get; }

    /// <summary>The part's data (serialised as JSON next to its status). Must honour the cancellation token.</summary>
    Task<object> LookupAsync(ReceptionLookupContext context, CancellationToken cancellationToken);
}
