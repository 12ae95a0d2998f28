using AgenteVendedor.Panel.Features.Conversaciones;

namespace AgenteVendedor.Panel.Tests.Components;

public sealed class InboxTests
{
    private static readonly DateTime T0 = new(2026, 12, 1, 15, 0, 0, DateTimeKind.Utc);

    private static Conversacion Conversation(Guid id, int minutes, string state = "agente", string channel = "whatsapp", string? last = null) =>
        new(id, channel, new ClienteConversacion("+573001112233", "Lucía"), state, last ?? $"mensaje {minutes}", T0.AddMinutes(minutes));

    [Fact]
    public void A_change_moves_its_conversation_to_the_top_and_replaces_its_row()
    {
        var (a, b) = (Guid.NewGuid(), Guid.NewGuid());
        var inbox = new Inbox();
        inbox.Reset([Conversation(a, 2), Conversation(b, 1)], null, null);

        Assert.True(inbox.Apply(Conversation(b, 5, last: "¿tienen taladros?")));

        Assert.Equal([b, a], inbox.Rows.Select(r => r.Id));
        Assert.Equal("¿tienen taladros?", inbox.Rows[0].UltimoMensaje);
        Assert.Equal(2, inbox.Rows.Count);
    }

    [Fact]
    public void A_late_event_older_than_the_row_changes_nothing()
    {
        var id = Guid.NewGuid();
        var inbox = new Inbox();
        inbox.Reset([Conversation(id, 10, last: "nuevo")], null, null);

        Assert.False(inbox.Apply(Conversation(id, 3, last: "viejo")));
        Assert.Equal("nuevo", inbox.Rows.Single().UltimoMensaje);
    }

    [Fact]
    public void The_filter_drops_a_conversation_that_no_longer_matches_and_ignores_others()
    {
        var (taken, other) = (Guid.NewGuid(), Guid.NewGuid());
        var inbox = new Inbox();
        inbox.Reset([Conversation(taken, 1, state: "humano")], "humano", null);

        Assert.True(inbox.Apply(Conversation(taken, 2, state: "agente")));
        Assert.Empty(inbox.Rows);
        Assert.False(inbox.Apply(Conversation(other, 3, state: "agente")));
        Assert.True(inbox.Apply(Conversation(other, 4, state: "humano")));
        Assert.Equal(other, inbox.Rows.Single().Id);
    }

    [Fact]
    public void The_list_never_grows_past_its_capacity()
    {
        var inbox = new Inbox();
        inbox.Reset([], null, null);
        for (var i = 0; i < Inbox.Capacity + 50; i++)
        {
            inbox.Apply(Conversation(Guid.NewGuid(), i));
        }

        Assert.Equal(Inbox.Capacity, inbox.Rows.Count);
        Assert.Equal(T0.AddMinutes(Inbox.Capacity + 49), inbox.Rows[0].ActualizadoEn);
    }
}
