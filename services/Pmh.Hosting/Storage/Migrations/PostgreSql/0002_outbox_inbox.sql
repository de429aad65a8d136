-- The outbox and the inbox (Pmh.Hosting.Outbox), the same in every service database. outbox_messages: a message
-- a state change causes, written in that change's transaction and sent afterwards, in sequence order, by the
-- database's dispatcher; kept a while after dispatch, then deleted. inbox_messages: the messages each consumer has
-- processed, by message id, written in the consumer's own transaction, so a redelivery changes nothing.
CREATE TABLE outbox_messages (
    sequence      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id    text NOT NULL,
    kind          text NOT NULL, -- publish | send
    destination   text NULL,     -- the queue address of a send
    message_type  text NOT NULL,
    body          text NOT NULL,
    headers       text NULL,
    created_at    bigint NOT NULL, -- Unix milliseconds
    dispatched_at bigint NULL,
    attempts      integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX ux_outbox_messages_message_id ON outbox_messages (message_id);
CREATE INDEX ix_outbox_messages_pending ON outbox_messages (sequence) WHERE dispatched_at IS NULL;
CREATE INDEX ix_outbox_messages_dispatched ON outbox_messages (dispatched_at) WHERE dispatched_at IS NOT NULL;
CREATE TABLE inbox_messages (
    consumer     text NOT NULL,
    message_id   text NOT NULL,
    processed_at bigint NOT NULL, -- Unix milliseconds
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX ix_inbox_messages_message_id ON inbox_messages (message_id);
CREATE INDEX ix_inbox_messages_processed_at ON inbox_messages (processed_at);
