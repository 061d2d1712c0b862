#!/usr/bin/env node
// A client app in a few lines: authenticate with a service account's API key, subscribe to a task
// force's events with Apollo Client over graphql-ws from a cursor, and print each event with its typed
// payload. Resume after a restart by passing the last cursor printed as AFTER.
//
//   HUB_URL=http://127.0.0.1:3000 HUB_API_KEY=tfh_… TASK_FORCE_ID=… AFTER=0 node examples/typed-events.mjs
//
// COUNT=n stops after n events (the test suite uses it). Needs @apollo/client 4, graphql-ws and ws.
import { ApolloClient, gql, InMemoryCache } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const { HUB_URL = 'http://127.0.0.1:3000', HUB_API_KEY, TASK_FORCE_ID, AFTER, COUNT } = process.env;
if (!HUB_API_KEY || !TASK_FORCE_ID) {
  console.error('Set HUB_API_KEY (a service account key, tfh_…) and TASK_FORCE_ID.');
  process.exit(2);
}

const EVENTS = gql`
  subscription Events($taskForceId: ID!, $after: Int) {
    taskForceEvents(taskForceId: $taskForceId, after: $after) {
      type
      cursor
      at
      withheld
      payload {
        __typename
        ... on ActionItemCreatedEvent {
          actionItemId
          title
          dueOn
          status
        }
        ... on ActionItemUpdatedEvent {
          actionItemId
          status
          changes
        }
        ... on MeetingScheduledEvent {
          meetingId
          title
          startsAt
        }
        ... on CaseSummaryUpdatedEvent {
          caseSummaryId
          version
          changed
        }
        ... on MembershipAddedEvent {
          memberId
          role
        }
      }
    }
  }
`;

const wsClient = createClient({
  url: `${HUB_URL.replace(/^http/, 'ws')}/graphql`,
  webSocketImpl: WebSocket,
  // The key goes where a person's access token would: in connection_init.
  connectionParams: { authorization: `Bearer ${HUB_API_KEY}` },
  on: { closed: (event) => event.code !== 1000 && console.error(`closed ${event.code} ${event.reason}`) },
});
const client = new ApolloClient({
  link: new GraphQLWsLink(wsClient),
  // Union members are known from schema.graphql; a client that reads every type could generate this list.
  cache: new InMemoryCache({
    possibleTypes: {
      LiveEventPayload: [
        'ActionItemCreatedEvent',
        'ActionItemUpdatedEvent',
        'MeetingScheduledEvent',
        'CaseSummaryUpdatedEvent',
        'MembershipAddedEvent',
      ],
    },
  }),
});

let seen = 0;
const subscription = client
  .subscribe({ query: EVENTS, variables: { taskForceId: TASK_FORCE_ID, after: AFTER ? Number(AFTER) : null } })
  .subscribe({
    next: ({ data, error }) => {
      if (error) return console.error(`error: ${error.message}`);
      const event = data.taskForceEvents;
      const payload = event.payload ? JSON.stringify(event.payload) : '(withheld from this agency)';
      console.log(`${event.cursor} ${event.type} ${payload}`);
      if (COUNT && ++seen >= Number(COUNT)) stop(0);
    },
    error: (error) => {
      console.error(`subscription failed: ${error.message}`);
      stop(1);
    },
  });

function stop(code) {
  subscription.unsubscribe();
  void wsClient.dispose();
  process.exitCode = code;
}
process.once('SIGINT', () => stop(0));
