SELECT json('boom');
