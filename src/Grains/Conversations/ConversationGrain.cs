using System.Globalization;
using AgenteVendedor.Common;
using AgenteVendedor.Database;
using AgenteVendedor.Tenancy;
using Microsoft.Extensions.Logging;

namespace AgenteVendedor.Conversations;

public sealed class ConversationGrain(
    [PersistentState("conversacion", StorageNames.Default)] IPersistentState<ConversationState> state,
    AgentDrivers drivers,
    TimeProvider clock,
    ILogger<ConversationGrain> logger) : Grain, IConversationGrain
{
    private const int KeptTurns = 40;

    public Task<bool> ExistsAsync() => Task.FromResult(state.State.Started);

    public async Task<Outcome<ChatReply>> HandleInboundAsync(ChatTurn turn)
    {
        var (empresaId, channel, _) = ConversationKey.Parse(this.GetPrimaryKeyString());
        var profile = await GrainFactory.GetGrain<IEmpresaGrain>(empresaId).GetProfileAsync();
        if (profile is null)
        {
            return Problem.NotFound("La empresa no existe.");
        }

        if (drivers.Find(turn.Driver) is not { } driver)
        {
            return Problem.Invalid("llm", $"Proveedor desconocido. Usa uno de: {string.Join(", ", drivers.Names)}.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var session = state.State;
        if (!session.Started)
        {
            session.Started = true;
            session.StartedAt = now;
        }

        session.LastInboundAt = now;
        Record("cliente", turn.Text, now);
        var tools = new SalesTools(GrainFactory, empresaId, channel, session, turn.Actor);
        if (turn.CustomerPhone is not null || turn.CustomerName is not null)
        {
            tools.CaptureCustomer(name: session.CustomerName ?? turn.CustomerName, phone: session.CustomerPhone ?? turn.CustomerPhone);
        }

        AgentReply reply;
        if (session.Handoff)
        {
            // A person took this chat over: the agent keeps quiet and only records the message.
            reply = new AgentReply(string.Empty, ChatTypes.General, []);
        }
        else
        {
            var settings = new AgentSettings(profile.Name, profile.AgentName, turn.Tone ?? profile.Tone,
                turn.Instructions ?? profile.Instructions, CultureInfo.GetCultureInfo(profile.Culture), profile.Currency, turn.Type);
            try
            {
                reply = await driver.RespondAsync(tools, turn.Text, settings);
            }
            catch (Exception e) when (e is not OrleansException)
            {
                // An LLM provider that fails must not take the conversation down: say so, keep the session.
                logger.LogError(e, "Agent driver {Driver} failed for {Conversation}", driver.Name, this.GetPrimaryKeyString());
                await state.WriteStateAsync();
                return new Problem(ProblemKind.Unavailable,
                    $"El asistente ({driver.Name}) no está disponible en este momento. Intenta de nuevo o usa llm=offline.", RetryAfterSeconds: 5);
            }

            Record("agente", reply.Text, clock.GetUtcNow().UtcDateTime);
        }

        await state.WriteStateAsync();
        var cart = await tools.CartAsync();
        return new ChatReply(reply.Text, turn.Type ?? reply.Type,
            reply.Products.Select(p => new ProductCard(p.Id, p.Sku, p.Name, p.Price, p.Stock)).ToList(),
            cart, session.Awaiting, reply.OrderId);
    }

    private void Record(string role, string text, DateTime at)
    {
        state.State.Turns.Add(new TurnRecord { Role = role, Text = text, At = at });
        if (state.State.Turns.Count > KeptTurns)
        {
            state.State.Turns.RemoveRange(0, state.State.Turns.Count - KeptTurns);
        }
    }
}
