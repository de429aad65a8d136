-- The outbox and the inbox (Pmh.Hosting.Outbox), the same in every service database. outbox_messages: a message
-- a state change causes, written in that change's transaction and sent afterwards, in sequence order, by the
-- database's dispatcher; kept a while after dispatch, then deleted. inbox_messages: the messages each consumer has
-- processed, by message id, written in the consumer's own transaction, so a redelivery changes nothing.
CREATE TABLE outbox_messages (
    sequence      bigint IDENTITY(1, 1) NOT NULL,
    message_id    varchar(36) NOT NULL,
    kind          varchar(16) NOT NULL,
    destination   nvarchar(400) NULL,
    message_type  nvarchar(400) NOT NULL,
    body          nvarchar(max) NOT NULL,
    headers       nvarchar(max) NULL,
    created_at    bigint NOT NULL,
    dispatched_at bigint NULL,
    attempts      int NOT NULL CONSTRAINT df_outbox_messages_attempts DEFAULT 0,
    CONSTRAINT pk_outbox_messages PRIMARY KEY (sequence)
);
CREATE UNIQUE INDEX ux_outbox_messages_message_id ON outbox_messages (message_id);
CREATE INDEX ix_outbox_messages_pending ON outbox_messages (sequence) WHERE dispatched_at IS NULL;
CREATE INDEX ix_outbox_messages_dispatched ON outbox_messages (dispatched_at) WHERE dispatched_at IS NOT NULL;
CREATE TABLE inbox_messages (
    consumer     nvarchar(200) NOT NULL,
    message_id   varchar(36) NOT NULL,
    processed_at bigint NOT NULL,
    CONSTRAINT pk_inbox_messages PRIMARY KEY (consumer, message_id)
);
CREATE INDEX ix_inbox_messages_message_id ON inbox_messages (message_id);
CREATE INDEX ix_inbox_messages_processed_at ON inbox_messages (processed_at);
