using MassTransit;
using Pmh.Contracts.MaternalChild;

namespace Pmh.MaternalChild.Reception;

/// <summary>The maternal-child part of a reception check: checkup vouchers left and used, infant checkups and their windows.</summary>
public sealed class MaternalChildReceptionLookup(IRequestClient<CheckMaternalChildEntitlements> client) : IReceptionLookup
{
    public string Kind => "maternalChild";

    public async Task<object> LookupAsync(ReceptionLookupContext context, CancellationToken cancellationToken)
    {
        var response = await client.GetResponse<MaternalChildEntitlements>(
            new CheckMaternalChildEntitlements { PersonKey = context.PersonKey, ServiceDate = context.ServiceDate },
            cancellationToken).ConfigureAwait(false);
        return new MaternalChildView(response.Message.Pregnancies, response.Message.InfantCheckups);
    }
}

/// <summary>The maternal-child part as a desk sees it: each pregnancy's vouchers, each child's infant checkups.</summary>
public sealed record MaternalChildView(IReadOnlyList<PregnancyVouchers> Pregnancies, IReadOnlyList<InfantCheckup> InfantCheckups);
