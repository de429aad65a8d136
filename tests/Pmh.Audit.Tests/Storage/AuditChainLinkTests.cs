using Pmh.Audit.Storage;
using Pmh.Contracts.Audit;

namespace Pmh.Audit.Tests.Storage;

/// <summary>The hash chain on its own, without a database.</summary>
public sealed class AuditChainLinkTests
{
    private static AuditChainEntry Entry(long sequence) => new()
    {
        Sequence = sequence,
        EventId = $"6f1c2a44-0d7e-4c1b-9a55-{sequence:D12}",
        OccurredAt = 1777626000000 + (sequence * 60_000),
        ParticipantId = "institution-1310000001",
        ParticipantName = "Minato Clinic",
        ParticipantRole = "institution",
        ParticipantCode = "1310000001",
        PersonKey = "person-alice",
        Kinds = "[\"subsidy\",\"vaccination\"]",
        Purpose = "receptionCheck",
        Outcome = AccessOutcomes.Disclosed,
        RecordedAt = 1777626000500 + (sequence * 60_000),
    };

    /// <summary>Entries 1..count, each linked to the one before, as the store appends them.</summary>
    private static List<AuditChainEntry> Chain(int count)
    {
        var entries = new List<AuditChainEntry>();
        var previous = AuditChain.GenesisHash;
        for (var sequence = 1; sequence <= count; sequence++)
        {
            var entry = Entry(sequence);
            previous = AuditChain.Link(previous, entry);
            entries.Add(entry);
        }

        return entries;
    }

    private static AuditChainVerified Broken(long entriesChecked, long sequence, string reason) =>
        new() { IsIntact = false, EntriesChecked = entriesChecked, FirstBrokenSequence = sequence, Reason = reason };

    [Fact]
    public void The_hash_of_an_entry_is_the_one_the_store_has_always_written()
    {
        // Computed by the store's hashing before it moved into AuditChain: stored chains must still verify.
        var entry = new AuditChainEntry
        {
            Sequence = 1,
            EventId = "6f1c2a44-0d7e-4c1b-9a55-3f0e8d2b7c10",
            OccurredAt = 1777626000000,
            ParticipantId = "institution-1310000001",
            ParticipantName = "港クリニック",
            ParticipantRole = "institution",
            ParticipantCode = "1310000001",
            PersonKey = "person-alice",
            Kinds = "[\"subsidy\",\"vaccination\"]",
            Purpose = "receptionCheck",
            Outcome = "disclosed",
            Detail = null,
            RecordedAt = 1777626000500,
        };

        var hash = AuditChain.Link(AuditChain.GenesisHash, entry);

        Assert.Equal("e6ba4635417b863cb00f9cc1166e8074faeaad1aa2c0c4625688639fc74568b7", hash);
        Assert.Equal((AuditChain.GenesisHash, hash), (entry.PrevHash, entry.Hash));
    }

    [Fact]
    public void Linking_the_same_entry_after_another_hash_gives_another_hash()
    {
        var first = AuditChain.Link(AuditChain.GenesisHash, Entry(1));
        var second = AuditChain.Link(new string('1', 64), Entry(1));

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void An_intact_chain_verifies_intact()
    {
        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 5 }, AuditChain.Verify(Chain(5)));
    }

    [Fact]
    public void An_intact_chain_that_ends_where_the_head_says_verifies_intact()
    {
        var chain = Chain(3);

        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 3 }, AuditChain.Verify(chain, 3, chain[^1].Hash));
    }

    [Fact]
    public void No_entries_verify_intact()
    {
        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 0 }, AuditChain.Verify([], 0, AuditChain.GenesisHash));
    }

    [Fact]
    public void A_changed_entry_breaks_the_chain_at_that_entry()
    {
        var chain = Chain(5);
        chain[2].Purpose = "nothing to see";

        Assert.Equal(Broken(3, 3, AuditChainBreaks.EntryChanged), AuditChain.Verify(chain));
    }

    [Fact]
    public void A_cleared_optional_field_breaks_the_chain_at_that_entry()
    {
        var chain = Chain(5);
        chain[1].PersonKey = null;

        Assert.Equal(Broken(2, 2, AuditChainBreaks.EntryChanged), AuditChain.Verify(chain));
    }

    [Fact]
    public void A_missing_entry_in_the_middle_is_reported_missing()
    {
        var chain = Chain(5);
        chain.RemoveAt(2);

        Assert.Equal(Broken(3, 3, AuditChainBreaks.EntryMissing), AuditChain.Verify(chain));
    }

    [Fact]
    public void A_missing_last_entry_is_reported_missing_against_the_head()
    {
        var chain = Chain(5);
        var head = chain[^1];
        chain.RemoveAt(4);

        Assert.Equal(new AuditChainVerified { IsIntact = true, EntriesChecked = 4 }, AuditChain.Verify(chain));
        Assert.Equal(Broken(4, 5, AuditChainBreaks.EntryMissing), AuditChain.Verify(chain, head.Sequence, head.Hash));
    }

    [Fact]
    public void A_last_entry_rehashed_consistently_is_caught_by_the_head_hash()
    {
        var chain = Chain(3);
        var headHash = chain[^1].Hash;
        chain[^1].Outcome = "denied";
        AuditChain.Link(chain[^1].PrevHash, chain[^1]);

        Assert.Equal(Broken(3, 3, AuditChainBreaks.EntryChanged), AuditChain.Verify(chain, 3, headHash));
    }

    [Fact]
    public void Two_whole_entries_swapped_with_their_hashes_are_reported_out_of_order()
    {
        var chain = Chain(5);
        (chain[1], chain[2]) = (chain[2], chain[1]);
        (chain[1].Sequence, chain[2].Sequence) = (2, 3);

        Assert.Equal(Broken(2, 2, AuditChainBreaks.OutOfOrder), AuditChain.Verify(chain));
    }

    [Fact]
    public void Entries_given_in_another_order_are_reported_at_the_first_out_of_place()
    {
        var chain = Chain(5);
        (chain[1], chain[3]) = (chain[3], chain[1]);

        Assert.Equal(Broken(2, 2, AuditChainBreaks.EntryMissing), AuditChain.Verify(chain));
    }
}
